/* nn-bench — training throughput of the lab against PyTorch and the machine's GEMM peak.
 *
 *   nn-bench [--threads 1,2] [--setups a,b,bbn,c,lenet] [--passes K] [--torch PYTHON] [--no-torch]
 *
 * For each thread count: the OpenBLAS sgemm rate of a 1024×1024×1024 product (best of 5);
 * then for each setup, in a child process (so its peak resident memory is its own): one
 * warm-up pass and K timed passes of training over the setup's images, the median pass
 * giving samples/s; the GEMM floating-point operations of a pass counted exactly (forward
 * 2·B·n_in·n_out per dense layer, backward the same for ∂W and again for ∂x except at the
 * input layer) give the achieved GFLOP/s and the fraction of the sgemm peak. The same setup
 * in PyTorch (bench/torch_bench.py, Debian's python3-torch, OMP_WAIT_POLICY=PASSIVE) gives
 * the lab/PyTorch ratio. Setups (Fashion-MNIST training images):
 *   a    784-30-10 sigmoid, softmax CE, mini-batch 10, SGD            (Nielsen)
 *   b    784-100-100-100-10 sigmoid, mini-batch 60, SGD               (Ioffe & Szegedy, no BN)
 *   bbn  the same with batch norm
 *   c    784-1024-1024-10 ReLU, mini-batch 256, momentum 0.9
 *   lenet  Caffe's LeNet of seed 004 (conv 20×5×5, max-pool 2, conv 50×5×5, max-pool 2, 500
 *        ReLU, 10), mini-batch 64, momentum 0.9; its GEMM flops are those of the lowered
 *        convolutions (im2col) and the dense layers, counted from the built net
 * `make bench` runs it.
 */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
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
    {"c", "784-1024-1024-10 ReLU, batch 256, momentum", NULL, {1024, 1024}, 2, NN_RELU, 0, 256, 15360, NN_OPT_MOMENTUM, 0.01, 0.9},
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
    return nn_mlp_build(&sp, s->batch, 1);
}

static double sgemm_peak(int threads)
{
    openblas_set_num_threads(threads);
    const int n = 1024;
    float *a = nn_calloc((size_t)n * n, sizeof(float)), *b = nn_calloc((size_t)n * n, sizeof(float)),
          *c = nn_calloc((size_t)n * n, sizeof(float));
    for (size_t i = 0; i < (size_t)n * n; i++) a[i] = (float)(i % 7) * 0.1f, b[i] = (float)(i % 5) * 0.1f;
    double best = INFINITY;
    for (int r = 0; r < 6; r++) {
        double t = nn_wall_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
        t = nn_wall_seconds() - t;
        if (r > 0) best = fmin(best, t); /* the first warms up */
    }
    free(a), free(b), free(c);
    return 2.0 * n * n * n / best / 1e9;
}

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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* the child: train and report samples/s of the median pass */
static double measure(const setup *s, const nn_dataset *train, int threads, int passes)
{
    openblas_set_num_threads(threads);
    nn_net *net = build(s, train);
    nn_optim o = {.kind = s->opt, .lr = s->lr, .momentum = s->momentum};
    nn_optim_init(&o, net);
    nn_dataset part = *train;
    part.n = nn_min_i(s->images, train->n);
    double *t = nn_calloc((size_t)passes + 1, sizeof(double));
    for (int p = 0; p <= passes; p++) {
        nn_train_cfg tc = {.epochs = 1, .batch = s->batch, .seed = (uint64_t)p + 1};
        nn_history h;
        double t0 = nn_wall_seconds();
        if (nn_train(net, &o, &part, NULL, &tc, &h) != 0) {
            fprintf(stderr, "nn-bench: %s\n", nn_error());
            exit(1);
        }
        t[p] = nn_wall_seconds() - t0;
        nn_history_free(&h);
    }
    qsort(t + 1, (size_t)passes, sizeof(double), cmp_double); /* pass 0 was the warm-up */
    double med = t[1 + passes / 2];
    free(t);
    nn_optim_free(&o);
    nn_net_free(net);
    return part.n / med;
}

static double torch_rate(const char *python, const setup *s, int threads, int passes)
{
    char cmd[1024], line[256];
    /* every thread pool PyTorch may use is pinned to the same count as the lab's: without
     * OPENBLAS_NUM_THREADS its BLAS ran a second thread even at torch.set_num_threads(1) */
    snprintf(cmd, sizeof cmd,
             "OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=%d OPENBLAS_NUM_THREADS=%d MKL_NUM_THREADS=%d %s bench/torch_bench.py "
             "--setup %s --threads %d --passes %d --images %d",
             threads, threads, threads, python, s->name, threads, passes, s->images);
    FILE *p = popen(cmd, "r");
    if (!p) return NAN;
    double rate = NAN;
    while (fgets(line, sizeof line, p))
        if (!strncmp(line, "samples/s ", 10)) rate = strtod(line + 10, NULL);
    pclose(p);
    return rate;
}

int main(int argc, char **argv)
{
    int threads[4] = {1, 2}, n_threads = 2, passes = 3, use_torch = 1;
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
    if (nn_data_load("fashion", NULL, &data) != 0) {
        fprintf(stderr, "nn-bench: %s\n", nn_error());
        return 1;
    }
    printf("nn-bench: Fashion-MNIST, %d training images; %s GEMMs (%s); median of %d passes after a warm-up\n",
           data.train.n, NN_REAL_NAME, openblas_get_config(), passes);
    printf("%-5s %-3s %12s %12s %9s %9s %9s %9s  %s\n", "set", "thr", "lab smp/s", "torch smp/s", "lab/torch", "GFLOP/s",
           "of peak", "RSS MiB", "setup");
    double worst_ratio = INFINITY;
    for (int ti = 0; ti < n_threads; ti++) {
        int T = threads[ti];
        double peak = sgemm_peak(T);
        printf("---- %d thread%s: sgemm 1024^3 peak %.1f GFLOP/s\n", T, T == 1 ? "" : "s", peak);
        fflush(stdout);
        for (int k = 0; k < N_SETUPS; k++) {
            const setup *s = &SETUPS[k];
            if (only) { /* is s->name one of the listed setups? */
                char list[128];
                snprintf(list, sizeof list, ",%s,", only);
                char key[16];
                snprintf(key, sizeof key, ",%s,", s->name);
                if (!strstr(list, key)) continue;
            }
            int fd[2];
            if (pipe(fd) != 0) return 1;
            pid_t pid = fork();
            if (pid == 0) {
                close(fd[0]);
                double r[2];
                r[0] = measure(s, &data.train, T, passes);
                struct rusage ru;
                getrusage(RUSAGE_SELF, &ru); /* the child's own peak: the data set, the net, BLAS buffers */
                r[1] = ru.ru_maxrss / 1024.0;
                if (write(fd[1], r, sizeof r) != sizeof r) _exit(1);
                _exit(0);
            }
            close(fd[1]);
            double got[2] = {NAN, NAN};
            if (read(fd[0], got, sizeof got) != sizeof got) got[0] = got[1] = NAN;
            close(fd[0]);
            int st;
            waitpid(pid, &st, 0);
            double rate = got[0];
            double gflops = pass_flops(s, &data.train) / s->images * rate / 1e9;
            double tr = use_torch ? torch_rate(python, s, T, passes) : NAN;
            double ratio = rate / tr;
            if (isfinite(ratio)) worst_ratio = fmin(worst_ratio, ratio);
            printf("%-5s %-3d %12.0f %12.0f %9.2f %9.1f %8.1f%% %9.1f  %s\n", s->name, T, rate, tr, ratio, gflops,
                   100 * gflops / peak, got[1], s->what);
            fflush(stdout);
        }
    }
    if (isfinite(worst_ratio))
        printf("nn-bench: summary: lab/PyTorch from %.2fx (worst setup and thread count) upward; see the table\n", worst_ratio);
    else
        printf("nn-bench: summary: PyTorch %s; lab rates only\n", use_torch ? "gave no rate (is python3-torch installed?)" : "not run");
    nn_split_free(&data);
    return 0;
}
