/*
 * ipc_shared.h - what the IPC tests (test_ipc, test_ipcwait) and the child
 * they start (ipc_child) agree on: the child's CSpace slots, its roles, the
 * words a test message carries, how the echo server answers, and the report
 * a child sends back. Root fills the child's slots before it resumes it.
 */
#ifndef MICA_IPC_SHARED_H
#define MICA_IPC_SHARED_H

#include <stdint.h>

#include "msg.h"

/* The child's CSpace: a CNode of 2^IPC_CHILD_RADIX slots. */
#define IPC_CHILD_RADIX 4
enum ipc_child_slot {
	IPC_SLOT_EP = 1,      /* the endpoint under test */
	IPC_SLOT_REPORT,      /* where it reports (an endpoint, write right) */
	IPC_SLOT_OTHER,       /* a notification or a second endpoint, by role */
	IPC_SLOT_SELF,        /* its own CNode: names the receive window */
	IPC_SLOT_RECV,        /* received capabilities land here (and after) */
};

/* a0 = IPC_CHILD_ARG(role, id): what to do, and the number naming this child
 * (the label of its messages and reports). */
#define IPC_CHILD_ARG(role, id) ((uint64_t)(role) | (uint64_t)(id) << 8)
#define IPC_CHILD_ROLE(arg)     ((arg) & 0xff)
#define IPC_CHILD_ID(arg)       ((arg) >> 8)

enum ipc_child_role {
	ROLE_ECHO,   /* server: answer every message on EP as ipc_echo_word() says */
	ROLE_SEND,   /* send (label id, 1 word: id) on EP, forging flag bits; exit */
	ROLE_RECV,   /* loop: receive on EP, report; exit after a failed receive */
	ROLE_CALL,   /* call EP with (label id, 1 word), report the outcome */
	ROLE_WAIT,   /* wait on the notification in OTHER, report the bits */
	ROLE_RELAY,  /* receive a call on EP, call OTHER, then reply to the first */
	ROLE_LOWEST, /* below everyone: each time OTHER (a notification) is
		      * signalled, signal REPORT (one too) once it gets to run */
};

/* Labels with a meaning of their own (ids stay below them). */
#define IPC_LABEL_USE_CAP 100   /* ROLE_RECV: send IPC_MAGIC on the cap received */
#define IPC_MAGIC         0x6d696361ul   /* "mica" */

/* Word j of a test message with this label: distinct for every label and
 * word, so a word in the wrong place or a stale one shows. */
static inline uint64_t ipc_word(uint64_t label, unsigned j)
{
	return label * 0x100000001ul + j * 0x9e3779b97f4a7c15ul + 1;
}

/* The echo server's answer to a message with `label`, `len` words and
 * `badge`: label + 1 if every word it got was ipc_word(label, j) and no
 * flag bit was set (else 0), the same length, and word j is the complement
 * of the word it got, with the badge folded into word 0. Requests and
 * replies both try to forge all the flag bits; the kernel must drop them. */
static inline uint64_t ipc_echo_word(uint64_t got, unsigned j, uint64_t badge)
{
	return ~got ^ (j == 0 ? badge : 0);
}

/* A child's report, sent on REPORT with label = its id and 4 words. */
enum ipc_report_word {
	REPORT_ERR,     /* the error code of the IPC it reports on */
	REPORT_INFO,    /* the info word it received (flags included) */
	REPORT_BADGE,   /* the badge (or notification bits) it received */
	REPORT_X,       /* by role: words intact (RECV), reply word 0 (CALL),
			 * the reply's error code (RELAY) */
	REPORT_WORDS
};

#endif /* MICA_IPC_SHARED_H */
