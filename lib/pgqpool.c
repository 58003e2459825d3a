#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "pgqpool.h"
#include "sig.h"

/* A statement handed to the workers. */
struct job {
	const char *sql;      /* NUL-terminated */
	int r;                /* sql_classify_fp's result */
	struct sqlclass c;
	json_t *tree;
	struct ptarena *pa;   /* the light tree's arena (its item slot's), or NULL: a jansson tree */
	const struct pt *ptree;
	int by;               /* the worker that parsed it; the pool's n: the caller's thread */
	atomic_int done;      /* set (after all the above) by the thread that parsed it */
};

/* Trees taken back, freed by the worker that made them when it next finds the queue empty: freeing
   on the thread that allocated keeps the per-thread free lists of pgq_fast_alloc even. */
struct garbage {
	json_t **v;
	atomic_size_t n;
	size_t cap;
};

/* A worker's argument. */
struct worker {
	struct pgqpool *p;
	int i;
};

/* Jobs queued at most: more than a reader's window (nested includes read ahead one at a time). */
#define QCAP 1024
#define CACHELINE 64

struct pgqpool {
	/* written by the caller alone */
	_Alignas(CACHELINE) atomic_size_t tail;
	_Alignas(CACHELINE) atomic_size_t claim;   /* by whoever takes a job */
	_Alignas(CACHELINE) atomic_int sleepers;   /* workers asleep on work */
	_Atomic(struct job *) waited;              /* the job the caller sleeps on */
	atomic_int stop;
	_Alignas(CACHELINE) _Atomic(struct job *) q[QCAP];
	pthread_mutex_t lock;  /* for sleeping, and for the garbage lists */
	pthread_cond_t work;   /* jobs or the end came */
	pthread_cond_t done;   /* the job waited for is done */
	struct garbage *garbage; /* per worker */
	int n;
	pthread_t *t;
	struct worker *w;
};

/* A spinning thread's pause. */
static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* An item read ahead. */
struct item {
	int k;                /* sqlsrc_next's */
	struct stmt st;
	char *text;           /* a statement's copy: st.len bytes, NUL, and a NUL for the byte after;
	                         NULL for other items */
	char *buf;            /* the slot's text buffer, kept from one use to the next */
	size_t cap;
	char after;           /* the byte after the statement when ';' ended it, else NUL */
	struct job job;       /* a statement's */
	struct job *res;      /* the job whose results the caller takes: job, or the pgqahead's shadow */
	int pending;          /* job is still being parsed by a worker, whose results nobody takes: the
	                         slot waits for it before it is used again */
	char *diag;           /* what the reader wrote on stderr reading it */
	size_t ndiag;
};

/* Items ahead: at most RING, and no more text than AHEAD_BYTES unless only one. */
#define RING 128
#define AHEAD_BYTES ((size_t)8 << 20)

struct pgqahead {
	struct pgqpool *p;
	struct sqlsrc *s;
	struct item ring[RING];
	size_t head, n;       /* the oldest item, and how many */
	size_t bytes;
	int cur;              /* the item last returned is the head and is not released */
	int ended;            /* SQ_END or SQ_ERROR was read: nothing after it */
	int meta;             /* the newest item is a psql command: its text is the reader's, which must
	                         not move before the caller is done with it */
	int refused;          /* a statement was refused: the reader would have stopped there */
	struct ptarena *arenas; /* with pgqahead_use_ptree: one per ring slot, kept from one use to the next */
	struct job shadow;    /* the caller's own parse of a statement whose worker was too slow */
	struct ptarena shadow_arena;
	char *shadow_text;
	size_t shadow_cap;
	FILE *cap;            /* stderr while reading */
	char *capbuf;
	size_t caplen;
};

/*
 * The allocator of pgq_fast_alloc. A tree is hundreds of small values made and freed one by one,
 * and glibc's malloc and free were a fifth of conf-parse's time (more with threads, whose frees take
 * locks): here a block of up to MAXSMALL bytes comes from and goes back to a free list of its size
 * class, per thread, carved from slabs that are never given back (the lists keep what the
 * statements in flight needed at most). A block freed on another thread joins that thread's list:
 * the pool frees a tree on the thread that made it, so the lists stay even.
 */
#define GRAIN 16
#define MAXSMALL 1024
#define SLAB ((size_t)64 << 10)

/* The word before a block: its size class, or BIG for one from malloc. */
union hdr {
	size_t cls;
	max_align_t align;
};
#define BIG ((size_t)-1)

static _Thread_local void *freelist[MAXSMALL / GRAIN + 1];
static _Thread_local char *slab_at, *slab_end;
/* every slab, so that they stay reachable (a leak checker sees them as in use, which they are) */
static pthread_mutex_t slabs_lock = PTHREAD_MUTEX_INITIALIZER;
static void **slabs;

static void *
fast_malloc(size_t n)
{
	size_t c = (n + GRAIN - 1) / GRAIN, sz;
	union hdr *h;
	void *p;

	if (n > MAXSMALL) {
		h = malloc(sizeof *h + n);
		if (!h)
			return NULL;
		h->cls = BIG;
		return h + 1;
	}
	if ((p = freelist[c])) {
		freelist[c] = *(void **)p;
		return p;
	}
	sz = sizeof *h + (c ? c : 1) * GRAIN;
	if ((size_t)(slab_end - slab_at) < sz) {
		void **s = malloc(SLAB);

		if (!s)
			return NULL;
		pthread_mutex_lock(&slabs_lock);
		*s = slabs;
		slabs = s;
		pthread_mutex_unlock(&slabs_lock);
		slab_at = (char *)s + sizeof(union hdr);
		slab_end = (char *)s + SLAB;
	}
	h = (union hdr *)slab_at;
	slab_at += sz;
	h->cls = c;
	return h + 1;
}

static void
fast_free(void *p)
{
	union hdr *h = (union hdr *)p - 1;

	if (!p)
		return;
	if (h->cls == BIG) {
		free(h);
		return;
	}
	*(void **)p = freelist[h->cls];
	freelist[h->cls] = p;
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

void
pgq_fast_alloc(void)
{
#ifndef SANITIZED
	json_set_alloc_funcs(fast_malloc, fast_free);
#else
	(void)fast_malloc;
	(void)fast_free;
#endif
}

/*
 * The queue: a ring of job pointers between two counters, tail (jobs submitted, written by the
 * caller alone) and claim (jobs taken, advanced by whoever takes one, worker or caller, with a
 * compare-and-swap): no lock on the way of a job. A lock and a condition variable serve only to
 * sleep: a worker when the queue is empty, the caller when the job it needs is being parsed by a
 * worker and none is left for it to parse. Each side wakes the other only when it sleeps.
 */
static struct job *
take(struct pgqpool *p)
{
	size_t c = atomic_load(&p->claim);

	while (c < atomic_load(&p->tail)) {
		/* read before the claim: once claimed, the slot may hold the job QCAP after it */
		struct job *j = atomic_load_explicit(&p->q[c % QCAP], memory_order_relaxed);

		if (atomic_compare_exchange_weak(&p->claim, &c, c + 1))
			return j;
	}
	return NULL;
}

/* Parse a job on thread `by` and say it is done (waking the caller if it waits for it). */
static void
run(struct pgqpool *p, struct job *j, int by)
{
	/* the slot's previous tree goes here, on the thread that parses into it again (and that,
	   most of the time, made it: malloc's per-thread heaps stay to themselves) */
	if (j->pa) {
		pt_reset(j->pa);
		j->r = sql_classify_pt(j->sql, &j->c, j->pa, &j->ptree, 1);
	} else {
		j->r = sql_classify_fp(j->sql, &j->c, &j->tree, 1);
	}
	j->by = by;
	atomic_store(&j->done, 1);
	if (atomic_load(&p->waited) == j) {
		pthread_mutex_lock(&p->lock);
		pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->lock);
	}
}

/* A worker's jansson trees the caller is done with, freed on the worker that made them. */
static void
collect(struct pgqpool *p, int i, size_t min)
{
	struct garbage g;

	if (atomic_load_explicit(&p->garbage[i].n, memory_order_relaxed) < min)
		return;
	pthread_mutex_lock(&p->lock);
	g.v = p->garbage[i].v;
	g.n = p->garbage[i].n;
	p->garbage[i].v = NULL;
	p->garbage[i].cap = 0;
	atomic_store(&p->garbage[i].n, 0);
	pthread_mutex_unlock(&p->lock);
	for (size_t k = 0; k < g.n; k++)
		json_decref(g.v[k]);
	free(g.v);
}

/* Polls before a thread sleeps: a worker's of an empty queue, the caller's of the job it needs (a
   statement's parse is ~10 microseconds). On a loaded machine a spin is CPU taken from others: a
   worker that finds the queue empty is a window ahead of the caller and sleeps at once. */
#define SPIN_WORKER 16
#define SPIN_CALLER 128

static void *
worker(void *arg)
{
	struct worker *w = arg;
	struct pgqpool *p = w->p;
	int idle = 0;

	for (;;) {
		struct job *j = take(p);

		if (j) {
			run(p, j, w->i);
			/* a busy worker frees in batches, an idle one at once */
			collect(p, w->i, 64);
			idle = 0;
			continue;
		}
		collect(p, w->i, 1);
		if (atomic_load(&p->stop))
			break;
		if (idle++ < SPIN_WORKER) {
			cpu_relax();
			continue;
		}
		pthread_mutex_lock(&p->lock);
		atomic_fetch_add(&p->sleepers, 1);
		while (!atomic_load(&p->stop) && atomic_load(&p->claim) >= atomic_load(&p->tail))
			pthread_cond_wait(&p->work, &p->lock);
		atomic_fetch_sub(&p->sleepers, 1);
		pthread_mutex_unlock(&p->lock);
		idle = 0;
	}
	collect(p, w->i, 1);
	return NULL;
}

/* The stack of a worker: the main thread's limit, which the recursion of the tree loader and of
   jansson's json_delete over a deep tree (TREE_DEPTH_MAX levels) relies on. */
static size_t
stack_size(void)
{
	struct rlimit rl;
	size_t min = (size_t)8 << 20, max = (size_t)256 << 20;

	if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > max)
		return max;
	return rl.rlim_cur < min ? min : (size_t)rl.rlim_cur;
}

struct pgqpool *
pgqpool_new(int n)
{
	struct pgqpool *p;
	pthread_attr_t a;
	int e;

	if (posix_memalign((void **)&p, CACHELINE, sizeof *p) != 0)
		die(EX_FAIL, "out of memory");
	memset(p, 0, sizeof *p);
	/* jansson's hash seed is made with the first object: before any worker makes one */
	json_object_seed(0);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&p->done, &ca);
		pthread_condattr_destroy(&ca);
	}
	p->t = xcalloc((size_t)n, sizeof *p->t);
	p->w = xcalloc((size_t)n, sizeof *p->w);
	p->garbage = xcalloc((size_t)n, sizeof *p->garbage);
	if ((e = pthread_attr_init(&a)) != 0 || (e = pthread_attr_setstacksize(&a, stack_size())) != 0)
		die(EX_FAIL, "cannot start the parser threads: %s", strerror(e));
	for (p->n = 0; p->n < n; p->n++)
		if ((p->w[p->n] = (struct worker){ p, p->n }, e = pthread_create(&p->t[p->n], &a, worker, &p->w[p->n])) != 0)
			die(EX_FAIL, "cannot start the parser threads: %s", strerror(e));
	pthread_attr_destroy(&a);
	return p;
}

void
pgqpool_free(struct pgqpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stop, 1);
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n; i++)
		pthread_join(p->t[i], NULL);
	free(p->garbage);
	free(p->w);
	free(p->t);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Wake a sleeping worker (when one sleeps): lock, so that one about to sleep sees the new jobs. */
static void
wake(struct pgqpool *p)
{
	if (atomic_load(&p->sleepers) == 0 || atomic_load(&p->claim) >= atomic_load(&p->tail))
		return;
	pthread_mutex_lock(&p->lock);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

/* Jobs waiting before a sleeping worker is woken: a wakeup per statement doubled the CPU time on a
   busy machine, where the caller parses the jobs it reaches first anyway. */
#define WAKE_AT 16

static void
submit(struct pgqpool *p, struct job *j)
{
	size_t t = atomic_load_explicit(&p->tail, memory_order_relaxed);

	atomic_store(&j->done, 0);
	if (t - atomic_load(&p->claim) >= QCAP) {
		/* the queue is full (nested includes, each reading ahead): parse it here */
		run(p, j, p->n);
		return;
	}
	atomic_store_explicit(&p->q[t % QCAP], j, memory_order_relaxed);
	atomic_store(&p->tail, t + 1);
	if (t + 1 - atomic_load(&p->claim) >= WAKE_AT)
		wake(p);
}

/* The time a statement of len bytes may take a worker before the caller parses it itself: three
   times what its parse takes (~80 ns a byte) and 200 microseconds more. Longer, the worker is not
   running: on a busy machine it waits for a CPU, often for a whole time slice (milliseconds). */
static struct timespec
deadline(size_t len)
{
	struct timespec t;
	long long ns = 200000 + (long long)len * 250;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)(ns / 1000000000);
	t.tv_nsec += (long)(ns % 1000000000);
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/*
 * Wait for job j, parsing queued jobs meanwhile (j itself first, when no worker has taken it): a
 * caller that slept at each statement the workers had not finished would wait on a busy machine for
 * a worker to be scheduled again, statement after statement (ten times the time of -j 1 was seen);
 * parsing them itself, it goes at the pace of -j 1 at worst. With len (the statement's bytes, not
 * 0), 0 when a worker took j but has not finished it by its deadline: the caller had better parse
 * it itself than wait for that worker to get a CPU again. 1 when j is done.
 */
static int
wait_job(struct pgqpool *p, struct job *j, size_t len)
{
	int idle = 0, late = 0;
	struct timespec dl;

	while (!atomic_load(&j->done)) {
		struct job *k = take(p);

		if (k) {
			run(p, k, p->n);
			continue;
		}
		/* j is being parsed: the rest of a parse is a few microseconds */
		if (idle++ < SPIN_CALLER) {
			cpu_relax();
			continue;
		}
		if (len)
			dl = deadline(len);
		atomic_store(&p->waited, j);
		pthread_mutex_lock(&p->lock);
		while (!atomic_load(&j->done) && !late)
			if (!len)
				pthread_cond_wait(&p->done, &p->lock);
			else if (pthread_cond_timedwait(&p->done, &p->lock, &dl) == ETIMEDOUT)
				late = !atomic_load(&j->done);
		pthread_mutex_unlock(&p->lock);
		atomic_store(&p->waited, NULL);
		if (late)
			return 0;
	}
	return 1;
}

/* A tree the caller is done with, for the worker that made it to free. */
static void
discard(struct pgqpool *p, struct job *j)
{
	struct garbage *g;

	if (!j->tree)
		return;
	if (j->by == p->n) {
		json_decref(j->tree);   /* made on this thread */
	} else {
		g = &p->garbage[j->by];
		pthread_mutex_lock(&p->lock);
		if (g->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 64;
			g->v = xrealloc(g->v, g->cap * sizeof *g->v);
		}
		g->v[g->n] = j->tree;
		atomic_store(&g->n, g->n + 1);
		pthread_mutex_unlock(&p->lock);
	}
	j->tree = NULL;
}

/*
 * The reader's messages (warnat and the like write on stderr) are kept with the item being read,
 * and written when the caller takes it: the caller's own messages on the items before it come
 * first, as without read-ahead. stderr is a variable in glibc; only this thread writes messages.
 */
static FILE *real_stderr; /* set while capturing */
static struct pgqahead *capturing;

/* die() during a read: what was kept must not be lost */
static void
capture_flush_at_exit(void)
{
	struct pgqahead *a = capturing;

	if (!a || !real_stderr)
		return;
	fflush(a->cap);
	stderr = real_stderr;
	fwrite(a->capbuf, 1, a->caplen, stderr);
}

static int
read_item(struct pgqahead *a)
{
	struct item *it = &a->ring[(a->head + a->n) % RING];
	static int registered;
	long before, after;
	char *buf = it->buf;
	size_t cap = it->cap;

	/* a job the caller did not wait for ends before its slot serves again */
	if (it->pending) {
		wait_job(a->p, &it->job, 0);
		discard(a->p, &it->job);
	}
	memset(it, 0, sizeof *it);
	it->buf = buf;
	it->cap = cap;
	if (!registered) {
		atexit(capture_flush_at_exit);
		registered = 1;
	}
	fflush(a->cap);
	before = ftell(a->cap);
	real_stderr = stderr;
	capturing = a;
	stderr = a->cap;
	it->k = sqlsrc_next(a->s, &it->st);
	stderr = real_stderr;
	capturing = NULL;
	real_stderr = NULL;
	fflush(a->cap);
	after = ftell(a->cap);
	if (after > before) {
		it->ndiag = (size_t)(after - before);
		it->diag = xmalloc(it->ndiag);
		memcpy(it->diag, a->capbuf + before, it->ndiag);
	}
	/* the buffer is used again from its start when no text of it is pending */
	if (after > (1 << 16))
		fseek(a->cap, 0, SEEK_SET);
	a->n++;
	if (it->k == SQ_STMT || it->k == SQ_COPY) {
		const char *p = sqlsrc_text(a->s, it->st.off);
		size_t len = (size_t)it->st.len;

		if (it->cap < len + 2) {
			it->cap = len + 2 > 256 ? len + 2 : 256;
			free(it->buf);
			it->buf = xmalloc(it->cap);
		}
		it->text = it->buf;
		memcpy(it->text, p, len);
		it->text[len] = it->text[len + 1] = '\0';
		if (!(it->st.flags & ST_UNTERM) && !it->st.gterm)
			it->after = p[len];
		a->bytes += len;
		it->job.sql = it->text;
		it->res = &it->job;
		if (a->arenas)
			it->job.pa = &a->arenas[(a->head + a->n - 1) % RING];
		submit(a->p, &it->job);
	}
	if (it->k == SQ_END || it->k == SQ_ERROR)
		a->ended = 1;
	else if (it->k == SQ_META)
		a->meta = 1;
	else
		sqlsrc_release(a->s);
	return it->k;
}

struct pgqahead *
pgqahead_open(struct pgqpool *p, struct sqlsrc *s)
{
	struct pgqahead *a = xcalloc(1, sizeof *a);

	a->p = p;
	a->s = s;
	a->cap = open_memstream(&a->capbuf, &a->caplen);
	if (!a->cap)
		die(EX_FAIL, "open_memstream: %s", strerror(errno));
	return a;
}

/* Done with an item; its light tree stays in the slot's arena until the slot's next parse. */
static void
drop_item(struct pgqahead *a, struct item *it)
{
	if (it->text) {
		if (!it->pending) {
			wait_job(a->p, &it->job, 0);
			discard(a->p, &it->job);
		} else if (a->shadow.tree) {
			json_decref(a->shadow.tree);
			a->shadow.tree = NULL;
		}
		a->bytes -= (size_t)it->st.len;
	}
	free(it->diag);
	it->diag = NULL;
	it->text = NULL;
	it->k = 0;
}

void
pgqahead_release(struct pgqahead *a)
{
	struct item *it;

	if (!a->cur)
		return;
	it = &a->ring[a->head];
	if (it->k == SQ_META) {
		sqlsrc_release(a->s);
		a->meta = 0;
	}
	drop_item(a, it);
	a->head = (a->head + 1) % RING;
	a->n--;
	a->cur = 0;
}

/* The caller parses the item itself, on a copy of its text: the worker still reads the slot's. */
static void
parse_here(struct pgqahead *a, struct item *it)
{
	size_t len = (size_t)it->st.len;

	if (a->shadow_cap < len + 2) {
		a->shadow_cap = len + 2;
		free(a->shadow_text);
		a->shadow_text = xmalloc(a->shadow_cap);
	}
	memcpy(a->shadow_text, it->text, len + 2);
	it->text = a->shadow_text;
	it->pending = 1;
	it->res = &a->shadow;
	a->shadow.sql = it->text;
	a->shadow.pa = it->job.pa ? &a->shadow_arena : NULL;
	run(a->p, &a->shadow, a->p->n);
}

int
pgqahead_next(struct pgqahead *a, struct stmt *st)
{
	struct item *it;
	int k;

	pgqahead_release(a);
	if (a->refused)
		return SQ_ERROR;
	/* the window is kept full: the workers are never short of statements while the caller
	   reads (reading is a small part of the caller's work, in step with what it takes) */
	while (!a->ended && !a->meta && a->n < RING && (a->n == 0 || a->bytes < AHEAD_BYTES) && !sig_caught)
		read_item(a);
	/* the caller may now wait on the workers: those asleep get the jobs queued */
	wake(a->p);
	if (a->n == 0)
		return SQ_ERROR; /* interrupted before an item */
	it = &a->ring[a->head];
	a->cur = 1;
	if (it->ndiag)
		fwrite(it->diag, 1, it->ndiag, stderr);
	k = it->k;
	if (it->text) {
		if (!wait_job(a->p, &it->job, (size_t)it->st.len))
			parse_here(a, it);
		/* the reader's refusals, from the classification it did not make itself */
		if (sqlsrc_classified(&it->st, it->text, it->res->r, &it->res->c) == SQ_ERROR) {
			a->refused = 1;
			k = SQ_ERROR;
		}
		it->text[it->st.len] = it->after;
	}
	*st = it->st;
	return k;
}

const char *
pgqahead_text(struct pgqahead *a)
{
	struct item *it = &a->ring[a->head];

	return it->text ? it->text : sqlsrc_text(a->s, it->st.off);
}

json_t *
pgqahead_tree(struct pgqahead *a)
{
	struct item *it = &a->ring[a->head];

	return a->cur && it->res ? it->res->tree : NULL;
}

const char *
pgqahead_fingerprint(struct pgqahead *a)
{
	struct item *it = &a->ring[a->head];

	return a->cur && it->res && (it->res->tree || it->res->ptree) ? it->res->c.fingerprint : NULL;
}

void
pgqahead_use_ptree(struct pgqahead *a)
{
	if (!a->arenas)
		a->arenas = xcalloc(RING, sizeof *a->arenas);
}

const struct pt *
pgqahead_ptree(struct pgqahead *a)
{
	struct item *it = &a->ring[a->head];

	return a->cur && it->res ? it->res->ptree : NULL;
}

void
pgqahead_close(struct pgqahead *a)
{
	if (!a)
		return;
	a->cur = 0;
	while (a->n > 0) {
		drop_item(a, &a->ring[a->head]);
		a->head = (a->head + 1) % RING;
		a->n--;
	}
	for (size_t i = 0; i < RING; i++)
		if (a->ring[i].pending) {
			wait_job(a->p, &a->ring[i].job, 0);
			discard(a->p, &a->ring[i].job);
		}
	fclose(a->cap);
	free(a->capbuf);
	for (size_t i = 0; i < RING; i++)
		free(a->ring[i].buf);
	free(a->shadow_text);
	pt_free(&a->shadow_arena);
	if (a->arenas)
		for (size_t i = 0; i < RING; i++)
			pt_free(&a->arenas[i]);
	free(a->arenas);
	free(a);
}
