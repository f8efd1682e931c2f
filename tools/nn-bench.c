/* nn-bench — training throughput of the lab against PyTorch and the machine's GEMM peak.
 *
 *   nn-bench [--threads 1,2] [--setups a,b,bbn,c,lenet] [--passes K] [--torch PYTHON] [--no-torch]
 *
 * For each thread count and setup, in a child process (so its peak resident memory is its own):
 * one warm-up pass and K counted passes of training over the setup's images, the median pass
 * giving samples/s; the same setup in PyTorch (tools/torch_bench.py, Debian's python3-torch,
 * OMP_WAIT_POLICY=PASSIVE) in another child, its passes interleaved with the lab's, gives the
 * lab/PyTorch ratio. Beside every counted pass the parent also measures, over as long as that
 * pass took, the OpenBLAS sgemm rate of 1024×1024×1024 products (the machine's peak) and one pass
 * of the setup's dense GEMMs alone, same shapes and order ("GEMM-only": the ceiling the
 * element-wise work leaves room for). The GEMM floating-point operations of a pass, counted
 * exactly (forward 2·B·n_in·n_out per dense layer, backward the same for ∂W and again for ∂x
 * except at the input layer), give the lab's GFLOP/s; "of peak" and "of ceil" are each lab pass
 * against the rates measured beside it, median and range over the passes — this machine's rates
 * move by tens of per cent within seconds, and a ratio of rates taken together cancels most of it.
 * Setups (Fashion-MNIST training images):
 *   a    784-30-10 sigmoid, softmax CE, mini-batch 10, SGD            (Nielsen)
 *   b    784-100-100-100-10 sigmoid, mini-batch 60, SGD               (Ioffe & Szegedy, no BN)
 *   bbn  the same with batch norm
 *   c    784-1024-1024-10 ReLU, mini-batch 256, momentum 0.9
 *   lenet  Caffe's LeNet of seed 004 (conv 20×5×5, max-pool 2, conv 50×5×5, max-pool 2, 500
 *        ReLU, 10), mini-batch 64, momentum 0.9; its GEMM flops are those of the lowered
 *        convolutions (im2col) and the dense layers, counted from the built net
 * `make bench` runs it.
 */
#define _GNU_SOURCE /* malloc_trim */
#include <cblas.h>
#include <malloc.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nnlab.h"

typedef struct setup {
    const char *name, *what;
    const char *layers; /* non-NULL: the net as nn_arch layers (the MLP fields below are unused) */
    int hidden[4], n_hidden;
    nn_act act;
    int batchnorm, batch, images;
    nn_opt_kind opt;
    double lr, momentum;
} setup;

#define LENET "[{\"conv\": 20, \"kernel\": 5}, {\"pool\": 2}, {\"conv\": 50, \"kernel\": 5}, {\"pool\": 2}, " \
              "{\"dense\": 500}, {\"act\": \"relu\"}]"

static const setup SETUPS[] = {
    {"a", "784-30-10 sigmoid, batch 10, SGD", NULL, {30}, 1, NN_SIGMOID, 0, 10, 60000, NN_OPT_SGD, 0.1, 0},
    {"b", "784-100x3-10 sigmoid, batch 60, SGD", NULL, {100, 100, 100}, 3, NN_SIGMOID, 0, 60, 60000, NN_OPT_SGD, 0.5, 0},
    {"bbn", "the same with batch norm", NULL, {100, 100, 100}, 3, NN_SIGMOID, 1, 60, 60000, NN_OPT_SGD, 0.5, 0},
    {"c",
     "784-1024-1024-10 ReLU, batch 256, momentum",
     NULL,
     {1024, 1024},
     2,
     NN_RELU,
     0,
     256,
     15360,
     NN_OPT_MOMENTUM,
     0.01,
     0.9},
    {"lenet", "Caffe's LeNet (seed 004), batch 64, momentum", LENET, {0}, 0, NN_RELU, 0, 64, 12000, NN_OPT_MOMENTUM, 0.01, 0.9},
};
#define N_SETUPS 5

static nn_net *build(const setup *s, const nn_dataset *train)
{
    if (s->layers) {
        cJSON *l = nn_json_parse(s->layers);
        nn_arch_opts o = {.in_c = 1, .in_h = 28, .in_w = 28, .n_classes = train->n_classes,
                          .w_init = {NN_INIT_UNIFORM_FANIN, sqrt(3.0)}, .b_init = {NN_INIT_ZERO, 0}};
        nn_net *net = nn_arch_build(l, &o, s->batch, 1);
        cJSON_Delete(l);
        NN_ASSERT(net != NULL, "nn-bench: %s", nn_error());
        return net;
    }
    nn_mlp_spec sp = {.n_input = train->d, .n_output = train->n_classes, .n_hidden = s->n_hidden,
                      .out_act = NN_SOFTMAX, .loss = NN_LOSS_SOFTMAX_CE, .batchnorm = s->batchnorm, .bn_eps = 1e-5,
                      .bn_momentum = 0.1, .w_init = {s->act == NN_RELU ? NN_INIT_HE_NORMAL : NN_INIT_NORMAL_FANIN, 1},
                      .b_init = {NN_INIT_ZERO, 0}};
    for (int k = 0; k < s->n_hidden; k++) sp.hidden[k] = s->hidden[k], sp.act[k] = s->act;
    nn_net *net = nn_mlp_build(&sp, s->batch, 1);
    if (!net) {
        fprintf(stderr, "nn-bench: %s\n", nn_error());
        exit(1);
    }
    return net;
}

/* The machine's sgemm rate at `threads` threads, measured beside every counted pass and for as long
 * as that pass took (at least 0.2 s): products of 1024 x 1024 x 1024 back to back, their flops over
 * their time. This machine's rate moves by tens of per cent within seconds (another tenant's load):
 * a few products timed once, or a best of them, made "of peak" swing from 75 % to 150 % between
 * rounds; a rate over the same stretch of time as the pass it is compared with does not */
typedef struct peak_gemm {
    float *a, *b, *c;
} peak_gemm;

static void peak_open(peak_gemm *g)
{
    const size_t n = 1024;
    g->a = nn_calloc(n * n, sizeof(float)), g->b = nn_calloc(n * n, sizeof(float)), g->c = nn_calloc(n * n, sizeof(float));
    for (size_t i = 0; i < n * n; i++) g->a[i] = (float)(i % 7) * 0.1f, g->b[i] = (float)(i % 5) * 0.1f;
}

static double peak_sample(peak_gemm *g, int threads, double seconds)
{
    openblas_set_num_threads(threads);
    const int n = 1024;
    long k = 0;
    double t0 = nn_wall_seconds(), t;
    do {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, g->a, n, g->b, n, 0, g->c, n);
        k++;
    } while ((t = nn_wall_seconds() - t0) < fmax(seconds, 0.2));
    return 2.0 * n * n * n * (double)k / t / 1e9;
}

/* freed and given back: a worker forked later would count the parent's freed heap in its peak RSS */
static void peak_close(peak_gemm *g) { free(g->a), free(g->b), free(g->c), malloc_trim(0); }

/* GEMM flops of one pass over `images` samples: per dense layer 2·n_in·n_out per sample forward,
 * the same for ∂W and for ∂x (except at the input); a conv layer likewise with n_in = Ci·k·k and
 * n_out = Co at each of its Ho·Wo positions */
static double pass_flops(const setup *s, const nn_dataset *train)
{
    nn_net *net = build(s, train);
    double per_sample = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        double mn = L->kind == NN_L_DENSE ? (double)L->n_in * L->n
                  : L->kind == NN_L_CONV  ? (double)L->conv.ci * L->conv.k * L->conv.k * L->n
                                          : 0;
        per_sample += 2 * mn /* forward */ + 2 * mn /* ∂W */ + (L->in >= 0 ? 2 * mn : 0) /* ∂x */;
    }
    nn_net_free(net);
    return per_sample * s->images;
}

/* The ceiling the element-wise work leaves room for: samples/s of a pass made of the setup's dense
 * GEMMs alone (the calls nn_dense makes through nn_gemm, same shapes and order: forward layer by layer,
 * then ∂W and ∂x from the top down, ∂x skipped at the input), one such pass beside every counted pass
 * of the lab; none for a net with convolutions */
#define MAX_DENSE 8
typedef struct gemm_pass {
    int L, B, steps, n_in[MAX_DENSE], n_out[MAX_DENSE];
    float *x[MAX_DENSE], *z[MAX_DENSE], *W[MAX_DENSE], *dW[MAX_DENSE], *dx[MAX_DENSE];
} gemm_pass;

static int gemm_open(gemm_pass *g, const setup *s, const nn_dataset *train)
{
    memset(g, 0, sizeof *g);
    if (s->layers) return 0;
    nn_net *net = build(s, train);
    for (int i = 0; i < net->n_layers; i++)
        if (net->layers[i].kind == NN_L_DENSE) {
            /* a ceiling without some of the products would be no ceiling: the setups have at most 4 */
            NN_ASSERT(g->L < MAX_DENSE, "nn-bench: setup %s has more than %d dense layers", s->name, MAX_DENSE);
            g->n_in[g->L] = net->layers[i].n_in, g->n_out[g->L++] = net->layers[i].n;
        }
    nn_net_free(net);
    g->B = s->batch, g->steps = s->images / s->batch;
    for (int l = 0; l < g->L; l++) {
        const size_t B = (size_t)g->B, ni = (size_t)g->n_in[l], no = (size_t)g->n_out[l];
        g->x[l] = nn_calloc(B * ni, sizeof(float)), g->dx[l] = nn_calloc(B * ni, sizeof(float));
        g->z[l] = nn_calloc(B * no, sizeof(float));
        g->W[l] = nn_calloc(ni * no, sizeof(float)), g->dW[l] = nn_calloc(ni * no, sizeof(float));
        for (size_t i = 0; i < ni * no; i++) g->W[l][i] = (float)((i % 13) * 0.01 - 0.06);
        for (size_t i = 0; i < B * ni; i++) g->x[l][i] = (float)((i % 11) * 0.02);
    }
    return g->L;
}

/* samples/s of one pass; NaN for a net with convolutions */
static double gemm_run(gemm_pass *g, int threads)
{
    if (g->L == 0) return NAN;
    nn_set_threads(threads);
    const int B = g->B;
    double t0 = nn_wall_seconds();
    for (int st = 0; st < g->steps; st++) {
        for (int l = 0; l < g->L; l++)
            nn_gemm(CblasNoTrans, CblasTrans, B, g->n_out[l], g->n_in[l], 1, g->x[l], g->n_in[l], g->W[l], g->n_in[l], 0,
                    g->z[l], g->n_out[l]);
        for (int l = g->L - 1; l >= 0; l--) {
            nn_gemm(CblasTrans, CblasNoTrans, g->n_out[l], g->n_in[l], B, 1, g->z[l], g->n_out[l], g->x[l], g->n_in[l], 0,
                    g->dW[l], g->n_in[l]);
            if (l > 0)
                nn_gemm(CblasNoTrans, CblasNoTrans, B, g->n_in[l], g->n_out[l], 1, g->z[l], g->n_out[l], g->W[l], g->n_in[l],
                        0, g->dx[l], g->n_in[l]);
        }
    }
    return g->steps * B / (nn_wall_seconds() - t0);
}

static void gemm_close(gemm_pass *g)
{
    for (int l = 0; l < g->L; l++) free(g->x[l]), free(g->dx[l]), free(g->z[l]), free(g->W[l]), free(g->dW[l]);
    malloc_trim(0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- the workers: the lab's and PyTorch's passes, interleaved ------------------------------- */

typedef struct worker {
    pid_t pid;
    FILE *to, *from; /* commands to the worker, answers from it */
} worker;

/* start a child whose standard input and output are pipes to w; the child runs fn(arg) or execs argv */
static int spawn(worker *w, void (*fn)(const void *), const void *arg, char *const argv[])
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return -1;
    fflush(stdout);
    w->pid = fork();
    if (w->pid < 0) return -1;
    if (w->pid == 0) {
        dup2(in[0], 0), dup2(out[1], 1);
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        if (fn) {
            fn(arg);
            _exit(0);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]), close(out[1]);
    w->to = fdopen(in[1], "w"), w->from = fdopen(out[0], "r");
    return w->to && w->from ? 0 : -1;
}

typedef struct lab_job {
    const setup *s;
    const nn_dataset *train;
    int threads;
} lab_job;

/* the lab's worker (a child, so its peak resident memory is its own): the net, a warm-up pass, then
 * one pass per line "pass", answered "seconds S"; "quit" is answered with the peak RSS in MiB */
static void lab_worker(const void *arg)
{
    const lab_job *j = arg;
    nn_set_threads(j->threads);
    nn_net *net = build(j->s, j->train);
    nn_optim o = {.kind = j->s->opt, .lr = j->s->lr, .momentum = j->s->momentum};
    nn_optim_init(&o, net);
    nn_dataset part = *j->train;
    part.n = nn_min_i(j->s->images, j->train->n);
    char line[64];
    for (int p = 0;; p++) {
        if (p > 0 && (!fgets(line, sizeof line, stdin) || strncmp(line, "pass", 4) != 0)) break;
        nn_train_cfg tc = {.epochs = 1, .batch = j->s->batch, .seed = (uint64_t)p + 1};
        nn_history h;
        double t0 = nn_wall_seconds();
        if (nn_train(net, &o, &part, NULL, &tc, &h) != 0) {
            fprintf(stderr, "nn-bench: %s\n", nn_error());
            _exit(1);
        }
        double t = nn_wall_seconds() - t0;
        nn_history_free(&h);
        if (p == 0) printf("ready\n"); /* the warm-up pass */
        else printf("seconds %.6f\n", t);
        fflush(stdout);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("rss %.1f\n", ru.ru_maxrss / 1024.0);
    fflush(stdout);
    nn_optim_free(&o);
    nn_net_free(net);
}

/* the answer to one command: the number after `key`, NaN if the worker failed */
static double ask(worker *w, const char *cmd, const char *key)
{
    char line[256];
    if (cmd) fprintf(w->to, "%s\n", cmd), fflush(w->to);
    while (fgets(line, sizeof line, w->from))
        if (!strncmp(line, key, strlen(key))) return strtod(line + strlen(key), NULL);
    return NAN;
}

static double stop(worker *w)
{
    double rss = ask(w, "quit", "rss ");
    fclose(w->to), fclose(w->from);
    int st;
    waitpid(w->pid, &st, 0);
    return rss;
}

typedef struct stats {
    double med, lo, hi; /* over the counted passes */
} stats;

/* median and range of n values; NaN if any is not finite */
static stats median_range(const double *v, int n)
{
    double *r = nn_calloc((size_t)n, sizeof(double));
    memcpy(r, v, (size_t)n * sizeof(double));
    qsort(r, (size_t)n, sizeof(double), cmp_double);
    stats s = {n % 2 ? r[n / 2] : 0.5 * (r[n / 2 - 1] + r[n / 2]), r[0], r[n - 1]};
    for (int i = 0; i < n; i++)
        if (!isfinite(r[i])) s.med = s.lo = s.hi = NAN;
    free(r);
    return s;
}

/* samples/s from pass times */
static stats summarize(const double *sec, int n, int images)
{
    double *r = nn_calloc((size_t)n, sizeof(double));
    for (int i = 0; i < n; i++) r[i] = images / sec[i];
    stats s = median_range(r, n);
    free(r);
    return s;
}

int main(int argc, char **argv)
{
    int threads[4] = {1, 2}, n_threads = 2, passes = 5, use_torch = 1;
    const char *only = NULL; /* --setups a,c: a comma-separated subset */
    const char *python = "/usr/bin/python3";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            printf("usage: nn-bench [--threads 1,2] [--setups a,b,bbn,c,lenet] [--passes K] [--torch PYTHON] [--no-torch]\n"
                   "Training throughput of the lab's setups against PyTorch and the sgemm peak (see tools/nn-bench.c).\n");
            return 0;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            n_threads = 0;
            for (char *q = argv[++i]; *q && n_threads < 4;) {
                threads[n_threads++] = (int)strtol(q, &q, 10);
                if (*q == ',') q++;
            }
        } else if (!strcmp(argv[i], "--passes") && i + 1 < argc) {
            passes = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--torch") && i + 1 < argc) {
            python = argv[++i];
        } else if (!strcmp(argv[i], "--setups") && i + 1 < argc) {
            only = argv[++i];
        } else if (!strcmp(argv[i], "--no-torch")) {
            use_torch = 0;
        } else {
            fprintf(stderr, "nn-bench: unknown or incomplete flag '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (passes < 1 || passes > 100) {
        fprintf(stderr, "nn-bench: --passes must be 1..100\n");
        return 2;
    }
    nn_split data;
    /* the pixels as bytes, converted per mini-batch, as any program that only trains holds them */
    if (nn_data_load("fashion", &(nn_data_opts){.bytes = 1}, &data) != 0) {
        fprintf(stderr, "nn-bench: %s\n", nn_error());
        return 1;
    }
    printf("nn-bench: Fashion-MNIST, %d training images; %s GEMMs; %s, core %s; %d counted passes per side after "
           "a warm-up, lab and PyTorch passes interleaved (lab, torch, lab, torch, ...)\n",
           data.train.n, NN_REAL_NAME, openblas_get_config(), openblas_get_corename(), passes);
    fflush(stdout);
    /* every setup at every thread count: lab and PyTorch passes interleaved */
    stats lab[4][N_SETUPS], tor[4][N_SETUPS], ceiling[4][N_SETUPS], of_peak[4][N_SETUPS], of_ceil[4][N_SETUPS], peak[4];
    double rss[4][N_SETUPS], flops[N_SETUPS];
    int run[N_SETUPS];
    /* per counted round: the lab's and PyTorch's pass times, the sgemm peak and the GEMM-only pass beside
     * them, and the lab's share of each; every peak sample at one thread count */
    double *sl = nn_calloc((size_t)passes, sizeof(double)), *st = nn_calloc((size_t)passes, sizeof(double)),
           *pk = nn_calloc((size_t)passes, sizeof(double)), *ce = nn_calloc((size_t)passes, sizeof(double)),
           *rp = nn_calloc((size_t)passes, sizeof(double)), *rc = nn_calloc((size_t)passes, sizeof(double)),
           *all_pk = nn_calloc((size_t)passes * N_SETUPS, sizeof(double));
    for (int k = 0; k < N_SETUPS; k++) {
        const setup *s = &SETUPS[k];
        run[k] = 1;
        if (only) { /* is s->name one of the listed setups? */
            char list[128], key[16];
            snprintf(list, sizeof list, ",%s,", only);
            snprintf(key, sizeof key, ",%s,", s->name);
            run[k] = strstr(list, key) != NULL;
        }
        flops[k] = run[k] ? pass_flops(s, &data.train) / s->images : 0;
    }
    for (int ti = 0; ti < n_threads; ti++) {
        int T = threads[ti], n_pk = 0;
        for (int k = 0; k < N_SETUPS; k++) {
            if (!run[k]) continue;
            const setup *s = &SETUPS[k];
            int images = nn_min_i(s->images, data.train.n);
            fprintf(stderr, "nn-bench: setup %s, %d thread%s ...\n", s->name, T, T == 1 ? "" : "s");
            lab_job job = {s, &data.train, T};
            worker wl = {0}, wt = {0};
            if (spawn(&wl, lab_worker, &job, NULL) != 0 || isnan(ask(&wl, NULL, "ready") * 0)) {
                fprintf(stderr, "nn-bench: the lab's worker did not start\n");
                return 1;
            }
            int torch_up = 0;
            if (use_torch) {
                char th[16], ps[16], im[16], env1[64], env2[64], env3[64];
                snprintf(th, sizeof th, "%d", T), snprintf(ps, sizeof ps, "%d", passes), snprintf(im, sizeof im, "%d", s->images);
                /* every thread pool PyTorch may use is pinned to the same count (its BLAS ran a second thread otherwise) */
                snprintf(env1, sizeof env1, "OMP_NUM_THREADS=%d", T), snprintf(env2, sizeof env2, "OPENBLAS_NUM_THREADS=%d", T);
                snprintf(env3, sizeof env3, "MKL_NUM_THREADS=%d", T);
                char *argv_t[] = {"/usr/bin/env",
                                  "OMP_WAIT_POLICY=PASSIVE",
                                  env1,
                                  env2,
                                  env3,
                                  (char *)python,
                                  "tools/torch_bench.py",
                                  "--serve",
                                  "--setup",
                                  (char *)s->name,
                                  "--threads",
                                  th,
                                  "--images",
                                  im,
                                  NULL};
                torch_up = spawn(&wt, NULL, NULL, argv_t) == 0 && !isnan(ask(&wt, NULL, "ready") * 0);
            }
            /* the parent's buffers only once the workers run, so that their peak RSS is their own */
            peak_gemm pg;
            peak_open(&pg);
            peak_sample(&pg, T, 0); /* warm-up */
            gemm_pass gp;
            if (gemm_open(&gp, s, &data.train)) gemm_run(&gp, T); /* warm-up */
            for (int p = 0; p < passes; p++) {
                sl[p] = ask(&wl, "pass", "seconds ");
                st[p] = torch_up ? ask(&wt, "pass", "seconds ") : NAN;
                all_pk[n_pk++] = pk[p] = peak_sample(&pg, T, sl[p]);
                ce[p] = gemm_run(&gp, T);
                rp[p] = flops[k] * (images / sl[p]) / 1e9 / pk[p];
                rc[p] = (images / sl[p]) / ce[p];
            }
            gemm_close(&gp);
            peak_close(&pg);
            ceiling[ti][k] = median_range(ce, passes);
            of_peak[ti][k] = median_range(rp, passes);
            of_ceil[ti][k] = median_range(rc, passes);
            rss[ti][k] = stop(&wl);
            if (wt.to && wt.from) {
                fprintf(wt.to, "quit\n");
                fclose(wt.to), fclose(wt.from);
                int stt;
                waitpid(wt.pid, &stt, 0);
            }
            lab[ti][k] = summarize(sl, passes, images);
            tor[ti][k] = summarize(st, passes, images);
        }
        peak[ti] = median_range(all_pk, n_pk);
    }
    free(sl), free(st), free(pk), free(ce), free(rp), free(rc), free(all_pk);
    /* the table: PyTorch's reference is its best median over the thread counts measured */
    printf("%-5s %-3s %-24s %-24s %-18s %7s %-18s %-22s %-18s %7s  %s\n", "set", "thr", "lab smp/s med (min-max)",
           "torch smp/s med (min-max)", "lab/best torch", "GFLOP/s", "of peak % (min-max)", "GEMM-only smp/s",
           "of ceil % (min-max)", "RSS MiB", "setup");
    double worst_ratio = INFINITY;
    for (int ti = 0; ti < n_threads; ti++) {
        printf("---- %d thread%s: sgemm 1024^3 %.1f GFLOP/s, median (%.1f-%.1f) of the rates beside every counted "
               "pass, each over as long as the pass; 'of peak' and 'of ceil' compare each lab pass with the rates beside it\n",
               threads[ti], threads[ti] == 1 ? "" : "s", peak[ti].med, peak[ti].lo, peak[ti].hi);
        for (int k = 0; k < N_SETUPS; k++) {
            if (!run[k]) continue;
            stats best = {NAN, NAN, NAN};
            for (int q = 0; q < n_threads; q++)
                if (!(tor[q][k].med <= best.med)) best = tor[q][k];
            const stats *l = &lab[ti][k], *o = &tor[ti][k];
            char a[64], b[64], r[64], pp[64], cg[64], pc[64];
            snprintf(a, sizeof a, "%.0f (%.0f-%.0f)", l->med, l->lo, l->hi);
            const stats *P = &of_peak[ti][k], *C = &of_ceil[ti][k], *G = &ceiling[ti][k];
            snprintf(pp, sizeof pp, "%.1f (%.1f-%.1f)", 100 * P->med, 100 * P->lo, 100 * P->hi);
            snprintf(cg, sizeof cg, "%.0f (%.0f-%.0f)", G->med, G->lo, G->hi);
            snprintf(pc, sizeof pc, "%.1f (%.1f-%.1f)", 100 * C->med, 100 * C->lo, 100 * C->hi);
            snprintf(b, sizeof b, "%.0f (%.0f-%.0f)", o->med, o->lo, o->hi);
            snprintf(r, sizeof r, "%.2f (%.2f-%.2f)", l->med / best.med, l->lo / best.hi, l->hi / best.lo);
            if (isfinite(l->med / best.med)) worst_ratio = fmin(worst_ratio, l->med / best.med);
            double gf = flops[k] * l->med / 1e9;
            printf("%-5s %-3d %-24s %-24s %-18s %7.1f %-18s %-22s %-18s %7.1f  %s\n", SETUPS[k].name, threads[ti], a, b, r, gf,
                   pp, cg, pc, rss[ti][k], SETUPS[k].what);
        }
    }
    /* a second thread must never make a setup slower: slower when every pass with more threads was
     * slower than every pass with fewer; overlapping ranges are within the passes' noise */
    for (int k = 0; k < N_SETUPS && n_threads > 1; k++)
        if (run[k]) {
            const stats *m = &lab[n_threads - 1][k], *o = &lab[0][k];
            printf("nn-bench: %s: the lab at %d threads runs at %.2fx its rate at %d (passes %.0f-%.0f against %.0f-%.0f)%s\n",
                   SETUPS[k].name, threads[n_threads - 1], m->med / o->med, threads[0], m->lo, m->hi, o->lo, o->hi,
                   m->hi < o->lo ? ": slower" : m->lo > o->hi ? ": faster" : ": the same within the passes' spread");
        }
    if (isfinite(worst_ratio))
        printf("nn-bench: summary: lab/PyTorch-best from %.2fx (median, worst setup and thread count) upward; see the table\n",
               worst_ratio);
    else
        printf("nn-bench: summary: PyTorch %s; lab rates only\n",
               use_torch ? "gave no rate (is python3-torch installed?)" : "not run");
    nn_split_free(&data);
    return 0;
}
