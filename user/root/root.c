/*
 * root.c - the first user program, and the system's supervisor
 * (docs/supervisor.md).
 *
 * The kernel hands root every capability there is (lib/bootinfo.h). Root
 * starts each server of servers.c with only the capabilities its row
 * names, then the init programs (the `init=` boot argument), and from then
 * on waits on its fault endpoint: every program it starts has it as its
 * TCB's fault endpoint, so a fault or an exit arrives as a message, badged
 * with the program. A server that faults, exits, or keeps a heartbeat ping
 * waiting past its deadline is stopped, logged in one line, and started
 * again from its image with fresh objects; its endpoint is root's and
 * stays, so its clients keep their capabilities and whoever waited in its
 * queue is served by the new instance. When every init program has ended,
 * root stops the servers and exits, which powers the machine off.
 * Root's main thread never waits on a server: calls go through its helper
 * thread (helper.c). A third thread, the idle probe, only says whether
 * the hart was ever idle between two heartbeats (root_heartbeat()).
 */
#include "bootinfo.h"
#include "errors.h"
#include "fmt.h"
#include "invoke.h"
#include "ipc.h"
#include "machine.h"
#include "printf.h"
#include "proc_proto.h"
#include "root.h"
#include "root_proto.h"
#include "spawn.h"
#include "str.h"
#include "sys.h"
#include "uart_proto.h"

#define ROOT_POOL_BITS  24      /* 16 MiB: every object root makes comes from here */
#define PROGRAMS_MAX    16
#define PROGRAM_SLOTS   64      /* root's slots for the objects of one start */
#define INIT_MAX        8
#define INIT_POOL_BITS  17
#define NAME_MAX        16

/* Root's own address space, from bi->free_vaddr up. */
#define VA_SCRATCH      0x0000ul   /* spawn fills new programs' pages here */
#define VA_HELPER_STACK 0x3000ul   /* the helper's stack page is below this (a guard below it) */
#define VA_HELPER_IPC   0x4000ul
#define VA_PROBE_STACK  0x7000ul   /* the idle probe's stack page is below this (a guard below it) */
#define VA_PROBE_IPC    0x8000ul

/* Badges: of root's notification (the bits main waits for), and of the
 * fault endpoint (program index + 1; the helper's is HELPER_FAULT). */
#define BIT_TIMER        1ul
#define BIT_HELPER_READY 2ul
#define HELPER_FAULT     0xffff
#define ROOT_CONSOLE_BADGE 1       /* root's own console badge; programs get index + 2 */

/* A program root started: a server (spec != NULL) or an init program. */
struct program {
	char name[NAME_MAX];
	const struct server_spec *spec;
	const struct grant *grants;
	unsigned priority, radix;
	uint64_t arg0, arg1;
	cptr_t untyped;           /* every object of one start, revoked before the next */
	cptr_t first_slot;        /* root's slots for them */
	cptr_t endpoint;          /* a server's endpoint: root's, kept across restarts */
	cptr_t device_frame, irq_handler, state_frame;   /* kept across restarts too */
	bool running;
	unsigned restarts;
	struct spawned sp;
};

static const struct bootinfo *bi;
static struct spawn_pool pool;         /* root's own: objects that live as long as root */
static struct program programs[PROGRAMS_MAX];
static unsigned nprograms, nservers;
static cptr_t fault_ep, main_ntfn, server_eps[PROGRAMS_MAX];
static cptr_t probe_ntfn;              /* signalled at each heartbeat: the probe runs once */
static unsigned idle_seen;             /* the probe ran since the last heartbeat (a word: atomic) */
static bool inject_enabled;
static bool ending;                    /* every init program has ended */
static int exit_status;                /* 0 unless an init program failed */

/* --- setting up ------------------------------------------------------- */

/* A boot argument's value (false if absent). */
static bool root_bootarg(const char *key, char *buf, size_t size)
{
	struct machine m = { .bootargs = bi->bootargs };

	return machine_bootarg(&m, key, buf, size);
}

static uint64_t root_number(const char *text)
{
	uint64_t n = 0;

	while (*text >= '0' && *text <= '9')
		n = n * 10 + (uint64_t)(*text++ - '0');
	return n;
}

static struct program *program_named(const char *name)
{
	unsigned i;

	for (i = 0; i < nprograms; i++)
		if (strcmp(programs[i].name, name) == 0)
			return &programs[i];
	return NULL;
}

static const struct bootinfo_untyped *root_device(const char *name, cptr_t *slot)
{
	uint64_t i;

	for (i = 0; i < bi->untyped_count; i++) {
		if (bi->untyped[i].is_device && strcmp(bi->untyped[i].name, name) == 0) {
			*slot = bi->untyped_first + i;
			return &bi->untyped[i];
		}
	}
	return NULL;
}

/* An Untyped of 2^bits bytes in slot, from any RAM Untyped root was given
 * that still has room. */
static int root_ram_untyped(unsigned bits, cptr_t slot)
{
	uint64_t i;
	int err = ERR_NO_MEMORY;

	for (i = 0; i < bi->untyped_count && err != ERR_OK; i++)
		if (!bi->untyped[i].is_device && bi->untyped[i].size_bits >= bits)
			err = untyped_retype(bi->untyped_first + i, OBJ_UNTYPED, bits, BOOT_SLOT_CNODE,
					     slot, 1);
	return err;
}

/* A new program's Untyped and run of slots, from root's pool. */
static int program_add(const char *name, const struct grant *grants, unsigned priority,
		       unsigned radix, unsigned pool_bits, struct program **out)
{
	struct program *p = &programs[nprograms];
	int err;

	if (nprograms == PROGRAMS_MAX || pool.end_slot - pool.next_slot < PROGRAM_SLOTS + 1)
		return ERR_RANGE;
	memset(p, 0, sizeof(*p));
	str_copy(p->name, name, sizeof(p->name));
	p->grants = grants;
	p->priority = priority;
	p->radix = radix;
	if (pool_bits < ROOT_POOL_BITS) {
		err = spawn_object(&pool, OBJ_UNTYPED, pool_bits, &p->untyped);
	} else {
		/* Bigger than root's whole pool (proc's): straight from RAM. */
		p->untyped = pool.next_slot++;
		err = root_ram_untyped(pool_bits, p->untyped);
	}
	if (err != ERR_OK)
		return err;
	p->first_slot = pool.next_slot;
	pool.next_slot += PROGRAM_SLOTS;
	nprograms++;
	*out = p;
	return ERR_OK;
}

/* What a server keeps across restarts: its endpoint, its device's frame
 * and interrupt line, its state frame. */
static int server_add(const struct server_spec *spec)
{
	const struct bootinfo_untyped *dev = NULL;
	struct program *p;
	cptr_t untyped = CPTR_NULL;
	unsigned i;
	int err;

	if ((err = program_add(spec->name, spec->grants, spec->priority, spec->radix,
			       spec->pool_bits, &p)) ||
	    (err = spawn_object(&pool, OBJ_ENDPOINT, 0, &p->endpoint)))
		return err;
	p->spec = spec;
	p->arg0 = spec->arg | (inject_enabled ? SERVER_ARG_INJECT : 0);
	server_eps[nservers++] = p->endpoint;
	if (spec->device)
		dev = root_device(spec->device, &untyped);
	for (i = 0; i < GRANTS_MAX && err == ERR_OK; i++) {
		switch (spec->grants[i].kind) {
		case GRANT_DEVICE_FRAME:
			if (dev == NULL)
				return ERR_NOT_FOUND;
			p->device_frame = pool.next_slot++;
			err = untyped_retype(untyped, OBJ_FRAME, 0, BOOT_SLOT_CNODE, p->device_frame, 1);
			break;
		case GRANT_DEVICE_IRQ:
			if (dev == NULL || dev->irq == 0)
				return ERR_NOT_FOUND;
			p->irq_handler = pool.next_slot++;
			err = irq_control_get(BOOT_SLOT_IRQ_CONTROL, dev->irq, BOOT_SLOT_CNODE,
					      p->irq_handler);
			break;
		case GRANT_STATE_FRAME:
			err = spawn_object(&pool, OBJ_FRAME, 0, &p->state_frame);
			break;
		default:
			break;
		}
	}
	return err;
}

/* --- starting a program ----------------------------------------------- */

/* Put a copy of root's frame `frame` in slot of p's CNode, mapped at
 * vaddr in p's address space. */
static int grant_frame(struct program *p, struct spawn_pool *own, cptr_t frame, cptr_t slot,
		       uint64_t vaddr)
{
	cptr_t copy = own->next_slot++;
	int err = cnode_copy(BOOT_SLOT_CNODE, copy, BOOT_SLOT_CNODE, frame, RIGHT_READ | RIGHT_WRITE);

	if (err == ERR_OK && vaddr != 0)
		err = spawn_map(own, p->sp.vspace, copy, vaddr, MAP_READ | MAP_WRITE);
	return err == ERR_OK ? cnode_move(p->sp.cnode, slot, BOOT_SLOT_CNODE, copy) : err;
}

/* GRANT_BOOTIMG: a header page, then the image, copied page by page into
 * fresh frames mapped read-only from vaddr on; each frame's capability
 * moves to p's CNode (from slot PROC_SLOT_BOOTIMG_FIRST on), so the copy
 * costs root one slot however big it is. */
static int grant_bootimg(struct program *p, struct spawn_pool *own, uint64_t vaddr)
{
	struct proc_bootimg header = { .magic = PROC_BOOTIMG_MAGIC, .size = bi->bootimg_size };
	cptr_t frame = own->next_slot++;
	uint64_t off;
	int err = ERR_OK;

	for (off = 0; err == ERR_OK && off < bi->bootimg_size + 4096; off += 4096) {
		const void *src = off == 0 ? (const void *)&header : (const char *)bi->bootimg + off - 4096;
		uint64_t n = off == 0 ? sizeof(header) :
			     bi->bootimg_size - (off - 4096) < 4096 ? bi->bootimg_size - (off - 4096) : 4096;

		if (PROC_SLOT_BOOTIMG_FIRST + off / 4096 >= 1ul << p->radix)
			return ERR_RANGE;
		if ((err = untyped_retype(own->untyped, OBJ_FRAME, 0, BOOT_SLOT_CNODE, frame, 1)) ||
		    (err = frame_map(frame, BOOT_SLOT_VSPACE, own->scratch, MAP_READ | MAP_WRITE)))
			break;
		memcpy((void *)own->scratch, src, n);
		if ((err = frame_unmap(frame)) ||
		    (err = spawn_map(own, p->sp.vspace, frame, vaddr + off, MAP_READ)))
			break;
		err = cnode_move(p->sp.cnode, PROC_SLOT_BOOTIMG_FIRST + off / 4096, BOOT_SLOT_CNODE, frame);
	}
	return err;
}

/* Fill one slot of p's fresh CNode as the grant says. */
static int grant_one(struct program *p, struct spawn_pool *own, const struct grant *g)
{
	cptr_t cnode = p->sp.cnode, made;
	struct program *server;
	int err;

	switch (g->kind) {
	case GRANT_OWN_CNODE:
		return cnode_copy(cnode, g->slot, BOOT_SLOT_CNODE, p->sp.cnode, RIGHTS_ALL);
	case GRANT_OWN_TCB:
		return cnode_copy(cnode, g->slot, BOOT_SLOT_CNODE, p->sp.tcb, RIGHTS_ALL);
	case GRANT_OWN_VSPACE:
		return cnode_copy(cnode, g->slot, BOOT_SLOT_CNODE, p->sp.vspace, RIGHTS_ALL);
	case GRANT_ENDPOINT:
		return cnode_copy(cnode, g->slot, BOOT_SLOT_CNODE, p->endpoint, RIGHT_READ);
	case GRANT_ENDPOINT_ALL:
		return cnode_copy(cnode, g->slot, BOOT_SLOT_CNODE, p->endpoint, RIGHTS_ALL);
	case GRANT_BOOTIMG:
		return grant_bootimg(p, own, g->vaddr);
	case GRANT_FAULT:
		return cnode_mint(cnode, g->slot, BOOT_SLOT_CNODE, fault_ep, RIGHT_WRITE,
				  (uint64_t)(p - programs) + 1);
	case GRANT_DEVICE_FRAME:
		return grant_frame(p, own, p->device_frame, g->slot, g->vaddr);
	case GRANT_STATE_FRAME:
		return grant_frame(p, own, p->state_frame, g->slot, g->vaddr);
	case GRANT_DEVICE_IRQ:
		return cnode_copy(cnode, g->slot, BOOT_SLOT_CNODE, p->irq_handler, RIGHTS_ALL);
	case GRANT_NOTIFICATION:
	case GRANT_UNTYPED:
		err = spawn_object(own, g->kind == GRANT_UNTYPED ? OBJ_UNTYPED : OBJ_NOTIFICATION,
				   g->bits, &made);
		return err == ERR_OK ? cnode_move(cnode, g->slot, BOOT_SLOT_CNODE, made) : err;
	case GRANT_CLIENT:
		server = program_named(g->server);
		if (server == NULL || server->spec == NULL)
			return ERR_NOT_FOUND;
		return cnode_mint(cnode, g->slot, BOOT_SLOT_CNODE, server->endpoint,
				  RIGHT_WRITE | RIGHT_GRANT, (uint64_t)(p - programs) + 2);
	default:
		return ERR_INVALID_ARGUMENT;
	}
}

/* The slot a program's TCB names as its fault endpoint. */
static cptr_t program_fault_slot(const struct program *p)
{
	unsigned i;

	for (i = 0; i < GRANTS_MAX && p->grants[i].kind != GRANT_END; i++)
		if (p->grants[i].kind == GRANT_FAULT)
			return p->grants[i].slot;
	return CPTR_NULL;
}

/* Start p from its image with fresh objects: whatever the last start made
 * is revoked first (that also stops the old instance, if any). */
static int program_start(struct program *p)
{
	struct spawn_pool own = pool;
	struct user_regs regs;
	unsigned i;
	int err;

	own.untyped = p->untyped;
	own.next_slot = p->first_slot;
	own.end_slot = p->first_slot + PROGRAM_SLOTS;
	p->running = false;
	err = cnode_revoke(BOOT_SLOT_CNODE, p->untyped);
	if (err == ERR_OK)
		err = spawn_program(&own, &p->sp, (const void *)bi->bootimg, bi->bootimg_size,
				    p->name, p->radix, program_fault_slot(p), p->priority, p->arg0);
	for (i = 0; err == ERR_OK && i < GRANTS_MAX && p->grants[i].kind != GRANT_END; i++)
		err = grant_one(p, &own, &p->grants[i]);
	if (err == ERR_OK && p->arg1 != 0 && (err = tcb_read_registers(p->sp.tcb, &regs)) == ERR_OK) {
		regs.a1 = p->arg1;
		err = tcb_write_registers(p->sp.tcb, &regs);
	}
	if (err == ERR_OK)
		err = tcb_resume(p->sp.tcb);
	p->running = err == ERR_OK;
	return err;
}

/* --- supervising ------------------------------------------------------ */

/* Say why p stopped, from its fault message (or the heartbeat). */
static void describe_end(char *buf, size_t size, uint64_t cause, uint64_t addr, uint64_t pc)
{
	if (cause == FAULT_CAUSE_EXIT)
		fmt_snprint(buf, size, "exited with status %ld", (long)(int)addr);
	else
		fmt_snprint(buf, size, "faulted: %s at address %p, pc %p", fault_cause_name(cause),
			    (void *)addr, (void *)pc);
}

/* A server stopped (why says how): start it again. */
static void server_restart(struct program *p, const char *why)
{
	/* LAB 10 BEGIN: start p again from its image, with fresh objects, count the restart and say so in one line */
	/* LAB 10 HINT: program_start() revokes what the last start made first: that stops the old instance and fails the calls it held; the log line's format is in docs/supervisor.md, and tools/faults.py counts it */
	int err;

	p->restarts++;
	err = program_start(p);
	if (err == ERR_OK)
		root_log("root: %s %s; restarted it (restart %u)", p->name, why, p->restarts);
	else
		root_log("root: %s %s; cannot restart it: %s", p->name, why, err_name(err));
	/* LAB 10 STUB: cnode_revoke(BOOT_SLOT_CNODE, p->untyped); */
	/* LAB 10 STUB: p->running = false; */
	/* LAB 10 STUB: helper_console_up(false); */
	/* LAB 10 STUB: root_log("lab 10: server_restart not implemented: %s %s and stays down", p->name, why); */
	/* LAB 10 END */
}

static bool init_running(void)
{
	unsigned i;

	for (i = nservers; i < nprograms; i++)
		if (programs[i].running)
			return true;
	return false;
}

/* A fault message from program p. */
static void root_fault(struct program *p, const struct ipc_msg *m)
{
	uint64_t cause = m->mr[FAULT_MR_CAUSE];
	char why[96];

	describe_end(why, sizeof(why), cause, m->mr[FAULT_MR_ADDR], m->mr[FAULT_MR_PC]);
	if (p->spec) {
		server_restart(p, why);
		return;
	}
	/* An init program is not restarted: it has ended. */
	cnode_revoke(BOOT_SLOT_CNODE, p->untyped);
	p->running = false;
	if (cause != FAULT_CAUSE_EXIT || m->mr[FAULT_MR_ADDR] != 0)
		exit_status = 1;
	root_log("root: %s %s", p->name, why);
}

/* LAB 10 BEGIN: the heartbeat's deadline, and noticing a server that misses it */
/* How many heartbeats p may keep a ping waiting. A driver answers between
 * interrupts, so three is plenty. A server that calls other servers (fs
 * waits on blk, proc on fs) cannot answer while it waits, so it gets
 * HEARTBEAT_MISSES_CLIENT, and of those only busy heartbeats count (see
 * root_heartbeat()). */
static unsigned heartbeat_misses(const struct program *p)
{
	return p->spec && p->spec->device ? HEARTBEAT_MISSES : HEARTBEAT_MISSES_CLIENT;
}
/* LAB 10 END */

/* The idle probe: a thread of root's at the lowest priority, which runs
 * only when the hart would otherwise wait for an interrupt. Each heartbeat
 * lets it run once; that it ran says the hart was idle at some moment
 * since. */
static void probe_main(uint64_t arg0, uint64_t arg1)
{
	uint64_t bits;

	(void)arg0, (void)arg1;
	for (;;) {
		__atomic_store_n(&idle_seen, 1u, __ATOMIC_RELEASE);
		notify_wait(probe_ntfn, &bits);
	}
}

/* The timer: restart a server that has kept a call waiting too long, then
 * ping them all again. A heartbeat in which the hart was idle at some
 * moment (the idle probe ran) does not count against a server without a
 * device: it was waiting on another server, which waited for its device,
 * not looping. That matters under QEMU's instruction clock, where an idle
 * hart skips from timer to timer while the host finishes a disk request,
 * so that on a loaded host one disk wait can pass hundreds of heartbeats.
 * A server in an endless loop keeps the hart busy, the probe never runs,
 * and the loop is caught as before. */
static void root_heartbeat(void)
{
	/* LAB 10 BEGIN: restart the server the helper's call has waited on through heartbeat_misses() heartbeats in a row */
	/* LAB 10 HINT: helper_waiting_on() numbers every call: the same number at the next heartbeat means the same call still waits */
	static uint64_t last_call;
	static unsigned misses;
	uint64_t call;
	unsigned s = helper_waiting_on(&call);
	bool busy = __atomic_exchange_n(&idle_seen, 0u, __ATOMIC_ACQ_REL) == 0;

	if (s == SERVER_NONE || call != last_call)
		misses = 0;
	else if (busy || heartbeat_misses(&programs[s]) == HEARTBEAT_MISSES)
		misses++;
	last_call = call;
	if (s != SERVER_NONE && misses >= heartbeat_misses(&programs[s]) && programs[s].running) {
		misses = 0;
		server_restart(&programs[s], heartbeat_misses(&programs[s]) == HEARTBEAT_MISSES ?
			       "stopped answering (a call waited through 3 heartbeats)" :
			       "stopped answering (a call waited through 250 busy heartbeats)");
	}
	/* LAB 10 END */
	if (!ending)
		helper_ping();
	notify_signal(probe_ntfn);
	notification_set_timer(main_ntfn, time_now() + HEARTBEAT_PERIOD);
}

/* Stop everything, so that nothing can run or interrupt, and the machine
 * powers off once root exits. */
static void root_shutdown(void)
{
	unsigned i;

	helper_console_up(false);
	for (i = 0; i < nprograms; i++)
		cnode_revoke(BOOT_SLOT_CNODE, programs[i].untyped);
	cnode_revoke(BOOT_SLOT_CNODE, pool.untyped);
}

static void root_serve(void)
{
	struct ipc_msg m;

	notification_set_timer(main_ntfn, time_now() + HEARTBEAT_PERIOD);
	for (;;) {
		int err = ipc_recv(fault_ep, &m);

		if (err != ERR_OK) {
			root_log("root: cannot receive on the fault endpoint: %s; stopping", err_name(err));
			return;
		}
		if (m.info & MSGINFO_FLAG_NOTIFY) {
			if (m.badge & BIT_TIMER)
				root_heartbeat();
		} else if ((m.info & MSGINFO_FLAG_FAULT) && m.badge >= 1 && m.badge <= nprograms) {
			root_fault(&programs[m.badge - 1], &m);
		} else if (m.info & MSGINFO_FLAG_FAULT) {
			helper_console_up(false);    /* the helper itself: nothing writes for root now */
			root_log("root: root-helper faulted: %s at address %p, pc %p",
				 fault_cause_name(m.mr[FAULT_MR_CAUSE]), (void *)m.mr[FAULT_MR_ADDR],
				 (void *)m.mr[FAULT_MR_PC]);
		}
		if (!ending && !init_running()) {
			ending = true;
			root_log("root: every init program has ended; stopping the servers");
		}
		if (ending && helper_idle())     /* every log line is out */
			return;
	}
}

/* --- boot ------------------------------------------------------------- */

/* Say what the boot info page says: RAM and each device region. */
static void root_show_bootinfo(void)
{
	uint64_t i, ram = 0, pieces = 0;

	printf("root: time counter reads %lu ticks since reset\n", time_now());
	for (i = 0; i < bi->untyped_count; i++) {
		const struct bootinfo_untyped *u = &bi->untyped[i];

		if (!u->is_device) {
			ram += 1ul << u->size_bits;
			pieces++;
		} else {
			printf("root: device %s at %p, irq %u (slot %lu)\n", u->name, (void *)u->paddr,
			       u->irq, bi->untyped_first + i);
		}
	}
	printf("root: %lu KiB of RAM in %lu Untyped capabilities; slots %lu..%lu are free\n",
	       ram >> 10, pieces, bi->first_free_slot, (1ul << bi->cnode_size_bits) - 1);
}

/* Start the init programs named in `list` (comma-separated). */
static int root_start_init(const char *list, uint64_t arg1)
{
	char name[NAME_MAX];
	struct program *p;
	unsigned n, index = 0;
	int err = ERR_OK;

	if (strcmp(list, "none") == 0)
		return ERR_OK;          /* start the servers and stop again: a boot test */
	while (*list && err == ERR_OK) {
		for (n = 0; list[n] && list[n] != ','; n++)
			;
		str_copy(name, list, n + 1 < sizeof(name) ? n + 1 : sizeof(name));
		list += list[n] ? n + 1 : n;
		err = program_add(name, init_grants, PRIO_INIT, INIT_CNODE_RADIX, INIT_POOL_BITS, &p);
		if (err == ERR_OK) {
			p->arg0 = index++;
			p->arg1 = arg1;
			err = program_start(p);
		}
		root_log("root: started %s: %s", name, err_name(err));
	}
	return err;
}

static int root_boot(void)
{
	struct helper_config helper = { 0 };
	char init[128], value[24];
	cptr_t console, ready, helper_fault, probe;
	unsigned i;
	int err;

	inject_enabled = root_bootarg("inject", value, sizeof(value)) && strcmp(value, "1") == 0;
	if (!root_bootarg("init", init, sizeof(init)))
		str_copy(init, "procboot", sizeof(init));
	if ((err = spawn_pool_init(&pool, bi, ROOT_POOL_BITS, VA_SCRATCH)) ||
	    (err = spawn_object(&pool, OBJ_ENDPOINT, 0, &fault_ep)) ||
	    (err = spawn_object(&pool, OBJ_NOTIFICATION, 0, &main_ntfn)) ||
	    (err = tcb_bind_notification(BOOT_SLOT_TCB, main_ntfn)))
		return err;
	/* The page tables under the scratch page are root's for good. */
	if ((err = spawn_map_new(&pool, BOOT_SLOT_VSPACE, pool.scratch, MAP_READ, &console)) ||
	    (err = frame_unmap(console)))
		return err;
	for (i = 0; i < server_count && err == ERR_OK; i++)
		err = server_add(&server_table[i]);
	for (i = 0; i < nservers && err == ERR_OK; i++) {
		err = program_start(&programs[i]);
		root_log("root: started %s%s: %s", programs[i].name,
			 inject_enabled ? " (fault injection on)" : "", err_name(err));
	}
	if (err != ERR_OK)
		return err;
	/* From here on root's lines go through the console, like anyone's. */
	helper = (struct helper_config){ .server_eps = server_eps, .servers = nservers,
					 .console_server = (unsigned)(program_named("uart") - programs),
					 .stack_top = bi->free_vaddr + VA_HELPER_STACK,
					 .ipc_vaddr = bi->free_vaddr + VA_HELPER_IPC };
	console = pool.next_slot++;
	ready = pool.next_slot++;
	helper_fault = pool.next_slot++;
	if ((err = cnode_mint(BOOT_SLOT_CNODE, console, BOOT_SLOT_CNODE, program_named("uart")->endpoint,
			      RIGHT_WRITE, ROOT_CONSOLE_BADGE)) ||
	    (err = cnode_mint(BOOT_SLOT_CNODE, ready, BOOT_SLOT_CNODE, main_ntfn, RIGHT_WRITE,
			      BIT_HELPER_READY)) ||
	    (err = cnode_mint(BOOT_SLOT_CNODE, helper_fault, BOOT_SLOT_CNODE, fault_ep, RIGHT_WRITE,
			      HELPER_FAULT)))
		return err;
	helper.console = console;
	helper.ready = ready;
	helper.fault_ep = helper_fault;
	if ((err = helper_start(&pool, &helper)) ||
	    (err = spawn_object(&pool, OBJ_NOTIFICATION, 0, &probe_ntfn)) ||
	    (err = spawn_thread(&pool, probe_main, 0, 0, PRIO_PROBE, "root-probe",
				bi->free_vaddr + VA_PROBE_STACK, bi->free_vaddr + VA_PROBE_IPC, CPTR_NULL,
				&probe)) ||
	    (err = tcb_resume(probe)))
		return err;
	helper_console_up(true);
	if (!root_bootarg("initarg", value, sizeof(value)))
		value[0] = '\0';
	return root_start_init(init, root_number(value));
}

int main(const struct bootinfo *boot_info)
{
	char value[8];
	int err;

	bi = boot_info;
	printf("root: hello from user mode\n");
	if (bi->magic != BOOTINFO_MAGIC) {
		printf("root: no boot info at %p\n", (void *)bi);
		return 1;
	}
	root_show_bootinfo();
	if (root_bootarg("servers", value, sizeof(value)) && strcmp(value, "none") == 0) {
		/* The kernel alone: what a lab handout that cannot run servers yet boots. */
		printf("root: servers=none: starting nothing; exiting\n");
		return 0;
	}
	err = root_boot();
	if (err != ERR_OK) {
		root_shutdown();
		root_log("root: cannot start the system: %s", err_name(err));
		return 1;
	}
	root_serve();
	root_shutdown();
	return exit_status;
}
