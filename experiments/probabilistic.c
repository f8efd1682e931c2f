/* probabilistic — seed 001's probabilistic view of regression, its L2 prior, and its PyTorch example.
 *
 * Seed 001 asks the student to model a regression net's targets as Gaussian around its output,
 * t ~ N(y(x, θ), β⁻¹), and to derive: maximizing the likelihood over θ is least squares, and the
 * maximum-likelihood β is the inverse of the mean squared residual; with a Gaussian prior
 * N(0, α⁻¹I) on θ the most probable θ (MAP) minimizes the L2-penalized loss. It also shows a
 * PyTorch example: a ReLU net, the squared error, Adam. This program checks each:
 *
 *   (a) ML is least squares. Noisy samples of sin(πx) on [−1, 1], a model linear in Legendre
 *       features up to `degree` (a net with no hidden layer). The Gaussian log-likelihood is
 *       maximized over (w, log β) jointly by gradient ascent, in double precision, and compared
 *       with the closed-form least-squares w — and with the least-absolute-deviations w, the ML
 *       fit under Laplace noise, as the alternative. 1/β_ML against the mean squared residual
 *       (alternative: the unbiased SSE/(n − p)); and 1/β_ML against the true noise variance.
 *   (b) L2 is MAP. The library's net with no hidden layer, trained full-batch with `l2`, against
 *       the closed-form MAP (ridge) solution with the same λ (the library leaves the bias
 *       undecayed, and so does this ridge) — the unpenalized fit as the alternative. Then Bishop's
 *       setting: `small_n` points, degree `small_degree`, MAP with λ = `small_lambda` against
 *       least squares, test error on fresh points; and on real data, softmax regression on the
 *       digits with and without L2 (seed r: the r-th block of `mnist_n` training images, the first
 *       block when the training set has too few).
 *   (c) The example: x ~ N(0, 1) of 64 × 1000, targets N(0, 1) of 64 × 10, Linear(1000, 100) →
 *       ReLU → Linear(100, 10), squared error, Adam at `example_lr` (the slide: 1e-4) for
 *       `example_steps` steps, PyTorch's default init U(±1/√fan_in) for weights and biases.
 *
 * The conditions are the parts: "regression" ((a), and (b)'s net against the closed form, on the same
 * samples), "small-set" (Bishop's setting), "mnist-ml" and "mnist-map" (softmax regression without and
 * with L2; x its coefficient) and "example" ((c)). Every part but the digits draws from one random stream
 * per seed, in this order: (a)'s samples, the small set, its fresh points, the example's data — each
 * cell draws the stream up to its own part, so a part sees the numbers it saw when one loop ran them all.
 * The figures' samples and fitted curves are the first seed's.
 *
 * Settings and the claims: experiments/probabilistic.json (every key: bin/probabilistic --help).
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

static const double PI = 3.14159265358979323846;

typedef struct settings {
    nn_exp_common common;
    int n_points, degree, ml_iters, small_n, small_degree, test_points, mnist_n, mnist_epochs, example_steps;
    double noise, lambda, small_lambda, mnist_l2, mnist_lr, example_lr;
    int part; /* a condition's: which part (its index among the conditions) */
} settings;

enum { REGRESSION, SMALL, MNIST_ML, MNIST_MAP, EXAMPLE };

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    (void)r, (void)n_r;
    settings *s = p;
    int n = nn_exp_common_fields(&s->common, f);
    f[n++] = (nn_cfg_field){"n_points", NN_CFG_INT, &s->n_points, 5, 1000000, NULL, NULL, 0, 0, "(a, b) regression samples"};
    f[n++] = (nn_cfg_field){"degree", NN_CFG_INT, &s->degree, 1, 20,
                            NULL,     NULL,       0,          0, "(a, b) Legendre features 1 … degree (plus a bias)"};
    f[n++] = (nn_cfg_field){"noise", NN_CFG_REAL, &s->noise, 1e-4, 10,
                            NULL,    NULL,        0,         0,    "standard deviation of the targets' Gaussian noise"};
    f[n++] = (nn_cfg_field){"ml_iters", NN_CFG_INT, &s->ml_iters, 10, 10000000, NULL, NULL, 0, 0,
                            "(a) gradient-ascent steps on the log-likelihood"};
    f[n++] = (nn_cfg_field){"lambda", NN_CFG_REAL, &s->lambda, 1e-8, 100, NULL, NULL, 0, 0,
                            "(b) L2 coefficient λ (= α/β) of the library's net and of the ridge solution"};
    f[n++] =
        (nn_cfg_field){"small_n", NN_CFG_INT, &s->small_n, 2, 100000, NULL, NULL, 0, 0, "(b) points of the small training set"};
    f[n++] = (nn_cfg_field){
        "small_degree", NN_CFG_INT, &s->small_degree, 1, 20, NULL, NULL, 0, 0, "(b) degree of the model fitted to them"};
    f[n++] = (nn_cfg_field){
        "small_lambda", NN_CFG_REAL, &s->small_lambda, 1e-12, 100, NULL, NULL, 0, 0, "(b) λ of the MAP fit to them"};
    f[n++] = (nn_cfg_field){
        "test_points", NN_CFG_INT, &s->test_points, 10, 1000000, NULL, NULL, 0, 0, "(b) fresh points for the test error"};
    f[n++] = (nn_cfg_field){"mnist_n", NN_CFG_INT, &s->mnist_n, 10, 1000000, NULL, NULL, 0, 0,
                            "(b) training images of the softmax regression (seed r: the r-th block of them)"};
    f[n++] = (nn_cfg_field){"mnist_epochs", NN_CFG_INT, &s->mnist_epochs, 1, 100000, NULL, NULL, 0, 0, "(b) its epochs"};
    f[n++] = (nn_cfg_field){"mnist_l2", NN_CFG_REAL, &s->mnist_l2, 0, 10, NULL, NULL, 0, 0, "(b) its L2 coefficient"};
    f[n++] = (nn_cfg_field){
        "mnist_lr", NN_CFG_REAL, &s->mnist_lr, 1e-6, 100, NULL, NULL, 0, 0, "(b) its learning rate (SGD, batch 10)"};
    f[n++] = (nn_cfg_field){"example_steps", NN_CFG_INT, &s->example_steps, 1, 1000000, NULL, NULL, 0, 0,
                            "(c) Adam steps of the PyTorch example (the seed's slide: 10)"};
    f[n++] = (nn_cfg_field){
        "example_lr", NN_CFG_REAL, &s->example_lr, 1e-8, 10, NULL, NULL, 0, 0, "(c) Adam's learning rate (the slide: 1e-4)"};
    return n;
}

static const nn_exp_def def = {"probabilistic", "Seed 001's probabilistic view: maximum likelihood is least squares, L2 is a "
                               "Gaussian prior (MAP), and its PyTorch example with Adam.", NN_EXP_BUILTIN_CONFIG,
                               sizeof(settings), fields};

/* ---- small dense linear algebra in double (p ≤ 21) ------------------------------------ */

/* Legendre polynomials P_1 … P_deg at x, into phi[0 … deg) (the bias is separate) */
static void legendre(double x, int deg, double *phi)
{
    double p0 = 1, p1 = x;
    for (int k = 1; k <= deg; k++) {
        phi[k - 1] = p1;
        double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1, p1 = p2;
    }
}

/* Solve A x = b, A (p × p) symmetric positive definite, by Cholesky in place; −1 if not positive definite. */
static int spd_solve(double *A, double *b, int p)
{
    for (int j = 0; j < p; j++) {
        double d = A[j * p + j];
        for (int k = 0; k < j; k++) d -= A[j * p + k] * A[j * p + k];
        if (!(d > 0)) return -1;
        A[j * p + j] = sqrt(d);
        for (int i = j + 1; i < p; i++) {
            double v = A[i * p + j];
            for (int k = 0; k < j; k++) v -= A[i * p + k] * A[j * p + k];
            A[i * p + j] = v / A[j * p + j];
        }
    }
    for (int i = 0; i < p; i++) {
        for (int k = 0; k < i; k++) b[i] -= A[i * p + k] * b[k];
        b[i] /= A[i * p + i];
    }
    for (int i = p - 1; i >= 0; i--) {
        for (int k = i + 1; k < p; k++) b[i] -= A[k * p + i] * b[k];
        b[i] /= A[i * p + i];
    }
    return 0;
}

/* Design matrix rows [1, P_1(x), …, P_deg(x)] */
static void design(const double *x, int n, int deg, double *Phi)
{
    for (int i = 0; i < n; i++) Phi[(size_t)i * (deg + 1)] = 1, legendre(x[i], deg, Phi + (size_t)i * (deg + 1) + 1);
}

/* Weighted ridge: minimize Σ c_i (t_i − φ_i·w)² + λ Σ_{j ≥ 1} w_j² (the bias w_0 is not penalized). */
static int ridge(const double *Phi, const double *t, const double *c, int n, int p, double lambda, double *w)
{
    double *A = calloc((size_t)p * p, sizeof *A);
    memset(w, 0, (size_t)p * sizeof *w);
    for (int i = 0; i < n; i++) {
        const double *f = Phi + (size_t)i * p, ci = c ? c[i] : 1;
        for (int a = 0; a < p; a++) {
            w[a] += ci * f[a] * t[i];
            for (int b = 0; b < p; b++) A[a * p + b] += ci * f[a] * f[b];
        }
    }
    for (int a = 1; a < p; a++) A[a * p + a] += lambda;
    int rc = spd_solve(A, w, p);
    free(A);
    return rc;
}

static double sse(const double *Phi, const double *t, const double *w, int n, int p)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        double y = 0;
        for (int a = 0; a < p; a++) y += Phi[(size_t)i * p + a] * w[a];
        s += (t[i] - y) * (t[i] - y);
    }
    return s;
}

static double max_diff(const double *a, const double *b, int p)
{
    double m = 0;
    for (int i = 0; i < p; i++) m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

/* samples of t = sin(πx) + noise, x ~ U(−1, 1) */
static void sample(nn_rng *rng, int n, double noise, double *x, double *t)
{
    for (int i = 0; i < n; i++) x[i] = nn_rng_uniform_in(rng, -1, 1), t[i] = sin(PI * x[i]) + noise * nn_rng_gauss(rng);
}

/* ---- the parts: one cell each ------------------------------------------------------------ */

/* A figure's data (every digit, as the figures had them): the samples (x, t), and on the grid −1 + h·k, k = 0 … K
 * (K ≤ 200), sin(πx) and the nf fits w[f] of degree deg, as measures names[f] */
static void figure(nn_exp *e, const nn_cell *c, const double *x, const double *t, int n, int K, double h, int deg, int nf,
                   const char *const *names, const double *const *w)
{
    double gx[201], gt[201], gf[201], phi[21];
    nn_measure_series_exact(e, c, "x", x, n), nn_measure_series_exact(e, c, "t", t, n);
    for (int k = 0; k <= K; k++) gx[k] = -1 + h * k, gt[k] = sin(PI * gx[k]);
    nn_measure_series_exact(e, c, "grid", gx, K + 1), nn_measure_series_exact(e, c, "truth", gt, K + 1);
    for (int f = 0; f < nf; f++) {
        for (int k = 0; k <= K; k++) {
            legendre(gx[k], deg, phi);
            gf[k] = w[f][0];
            for (int a = 0; a < deg; a++) gf[k] += w[f][1 + a] * phi[a];
        }
        nn_measure_series_exact(e, c, names[f], gf, K + 1);
    }
}

/* (a) least squares in closed form, least absolute deviations by IRLS, ML by gradient ascent; (b) the library's net
 * with L2 against the closed-form MAP */
static void regression(nn_exp *e, const nn_cell *c, const settings *s, const double *x, const double *t)
{
    const int n = s->n_points, p = s->degree + 1;
    double *Phi = nn_calloc((size_t)n * p, sizeof(double)), *cw = nn_calloc((size_t)n, sizeof(double));
    double w_ls[21], w_ml[21], w_lad[21], w_map[21], g[21];
    design(x, n, s->degree, Phi);
    ridge(Phi, t, NULL, n, p, 0, w_ls);
    memcpy(w_lad, w_ls, (size_t)p * sizeof *w_lad);
    for (int it = 0; it < 200; it++) { /* weights 1/|residual| turn squares into absolute values */
        for (int i = 0; i < n; i++) {
            double y = 0;
            for (int a = 0; a < p; a++) y += Phi[(size_t)i * p + a] * w_lad[a];
            cw[i] = 1 / fmax(fabs(t[i] - y), 1e-9);
        }
        ridge(Phi, t, cw, n, p, 0, w_lad);
    }
    /* the Gaussian log-likelihood ℓ(w, b) = (n/2) b − (e^b/2) Σ (t − Φw)² (b = log β, constants dropped),
     * maximized by gradient ascent on w and b together from w = 0, b = 0; the step on w is scaled by
     * 1/(n β) so the ascent stays stable as β grows */
    memset(w_ml, 0, (size_t)p * sizeof *w_ml);
    double b = 0;
    for (int it = 0; it < s->ml_iters; it++) {
        double beta = exp(b), se = 0;
        memset(g, 0, (size_t)p * sizeof *g);
        for (int i = 0; i < n; i++) {
            double y = 0;
            for (int a = 0; a < p; a++) y += Phi[(size_t)i * p + a] * w_ml[a];
            double res = t[i] - y;
            se += res * res;
            for (int a = 0; a < p; a++) g[a] += beta * res * Phi[(size_t)i * p + a]; /* ∂ℓ/∂w */
        }
        double gb = n / 2.0 - beta * se / 2; /* ∂ℓ/∂b */
        for (int a = 0; a < p; a++) w_ml[a] += 0.5 * g[a] / (n * beta);
        b += 0.5 * gb / n;
    }
    double mse = sse(Phi, t, w_ls, n, p) / n, unbiased = sse(Phi, t, w_ls, n, p) / (n - p), inv_beta = exp(-b);
    nn_measure(e, c, "ml_over_lad", max_diff(w_ml, w_ls, p) / max_diff(w_lad, w_ls, p));
    nn_measure(e, c, "beta_ratio", fabs(inv_beta - mse) / fabs(inv_beta - unbiased));
    nn_measure(e, c, "beta_noise", (inv_beta - s->noise * s->noise) / (s->noise * s->noise)); /* relative, signed */

    /* (b) the library's net with no hidden layer, inputs the Legendre features, trained full-batch with L2 λ,
     * against the closed-form MAP (ridge) with the same λ. The library's objective is
     * (1/n) Σ ½ (t − y)² + (λ/2)‖w‖², whose minimizer is the ridge solution with λ·n. */
    nn_real *X = nn_calloc((size_t)n * s->degree, sizeof *X);
    for (int i = 0; i < n; i++)
        for (int a = 0; a < s->degree; a++) X[(size_t)i * s->degree + a] = (nn_real)Phi[(size_t)i * p + 1 + a];
    nn_net *net = nn_net_new(s->degree);
    int dl = nn_net_dense(net, 1, 1, (nn_init){NN_INIT_ZERO, 1}, (nn_init){NN_INIT_ZERO, 1});
    nn_net_act(net, NN_LINEAR);
    nn_net_output(net, NN_LOSS_QUADRATIC, 1.0);
    nn_exp_finalize(net, n, c->seed);
    nn_optim o = {.kind = NN_OPT_MOMENTUM, .lr = 0.5, .momentum = 0.9, .l2 = s->lambda};
    nn_optim_init(&o, net);
    for (int it = 0; it < 3000; it++) {
        nn_net_forward(net, X, n, NN_TRAIN);
        for (int i = 0; i < n; i++) net->Y[i] = (nn_real)t[i];
        nn_net_loss(net, net->Y, 1);
        nn_net_zero_grad(net);
        nn_net_backward(net);
        nn_optim_step(&o, net, o.lr);
    }
    double w_net[21];
    w_net[0] = net->layers[dl].b[0];
    for (int a = 0; a < s->degree; a++) w_net[1 + a] = net->layers[dl].W[a];
    ridge(Phi, t, NULL, n, p, s->lambda * n, w_map);
    nn_measure(e, c, "map_ratio", max_diff(w_net, w_map, p) / max_diff(w_net, w_ls, p));
    if (c->r == 0) { /* the figure's: the samples, the ML fit, and its band's half-width 1/√β_ML */
        figure(e, c, x, t, n, 100, 0.02, s->degree, 1, (const char *[]){"ml_fit"}, (const double *[]){w_ml});
        nn_measure(e, c, "sigma_ml", sqrt(inv_beta));
    }
    nn_optim_free(&o), nn_net_free(net), free(X), free(Phi), free(cw);
}

/* (b) Bishop's small set: LS against MAP on small_n points (sx, st), error on the fresh points (tx, tt) */
static void small_set(nn_exp *e, const nn_cell *c, const settings *s, const double *sx, const double *st, const double *tx,
                      const double *tt)
{
    const int m = s->small_n, q = s->small_degree + 1, T = s->test_points;
    double *SP = nn_calloc((size_t)m * q, sizeof *SP), *TP = nn_calloc((size_t)T * q, sizeof *TP), wl[21], wm[21];
    design(sx, m, s->small_degree, SP), design(tx, T, s->small_degree, TP);
    /* least squares: with at least as many parameters as points, the minimum-norm interpolant is reached as
     * λ → 0; a ridge of 1e-10 stands in for it */
    int ok = ridge(SP, st, NULL, m, q, 1e-10, wl) == 0 && ridge(SP, st, NULL, m, q, s->small_lambda, wm) == 0;
    double ls = ok ? sqrt(sse(TP, tt, wl, T, q) / T) : NAN, map = ok ? sqrt(sse(TP, tt, wm, T, q) / T) : NAN, z = 0;
    for (int i = 0; i < T; i++) z += tt[i] * tt[i]; /* the control's baseline: predicting 0 everywhere */
    nn_measure(e, c, "rms_least_squares", ls), nn_measure(e, c, "rms_map", map);
    nn_measure(e, c, "log10_ls_over_map", log10(ls / map));
    nn_measure(e, c, "log10_zero_over_map", ok ? log10(sqrt(z / T) / map) : NAN);
    if (c->r == 0 && ok) /* the figure's: the points and both fits */
        figure(e, c, sx, st, m, 200, 0.01, s->small_degree, 2, (const char *[]){"ls_fit", "map_fit"}, (const double *[]){wl, wm});
    free(SP), free(TP);
}

/* (b) on real data: softmax regression on mnist_n images, with or without L2; seed r trains on its own block of them
 * (the first block when the training set is short) */
static void digits(nn_exp *e, const nn_cell *c, const settings *s)
{
    nn_dataset small = e->data.train;
    size_t start = (size_t)c->r * s->mnist_n + s->mnist_n <= (size_t)small.n ? (size_t)c->r * s->mnist_n : 0;
    small.X += start * small.d, small.y += start;
    small.n = nn_min_i(small.n, s->mnist_n);
    nn_net *net = nn_net_new(small.d);
    nn_net_dense(net, small.n_classes, 1, (nn_init){NN_INIT_ZERO, 1}, (nn_init){NN_INIT_ZERO, 1});
    nn_net_act(net, NN_SOFTMAX);
    nn_net_output(net, NN_LOSS_SOFTMAX_CE, 1.0);
    nn_exp_finalize(net, 10, c->seed);
    nn_optim o = {.kind = NN_OPT_SGD, .lr = s->mnist_lr, .l2 = s->part == MNIST_MAP ? s->mnist_l2 : 0};
    nn_optim_init(&o, net);
    const char *lab = nn_exp_str(e, "softmax regression on %d digits, %s, seed %llu", small.n,
                                 s->part == MNIST_MAP ? "L2 (MAP)" : "no L2 (ML)", (unsigned long long)c->seed);
    nn_train_cfg tc = {.epochs = s->mnist_epochs, .batch = 10, .seed = c->seed, .label = lab, .progress = 1};
    nn_history h;
    nn_exp_train(net, &o, &small, &e->data.test, &tc, &h);
    nn_measure_history(e, c, &h);
    nn_measure(e, c, "test_acc_pct", 100 * nn_exp_final(&h, offsetof(nn_epoch, test_acc)));
    nn_measure(e, c, "l2", o.l2);
    nn_history_free(&h), nn_optim_free(&o), nn_net_free(net);
}

/* (c) seed 001's PyTorch example, its data drawn from rng */
static void example(nn_exp *e, const nn_cell *c, const settings *s, nn_rng *rng)
{
    const int N = 64, Din = 1000, H = 100, Dout = 10;
    nn_real *X = nn_calloc((size_t)N * Din, sizeof *X), *Y = nn_calloc((size_t)N * Dout, sizeof *Y);
    for (int i = 0; i < N * Din; i++) X[i] = (nn_real)nn_rng_gauss(rng);
    for (int i = 0; i < N * Dout; i++) Y[i] = (nn_real)nn_rng_gauss(rng);
    nn_net *net = nn_net_new(Din);
    nn_init pt = {NN_INIT_UNIFORM_FANIN, 1.0}; /* torch.nn.Linear's default: U(±1/√fan_in), biases too */
    nn_net_dense(net, H, 1, pt, pt);
    nn_net_act(net, NN_RELU);
    nn_net_dense(net, Dout, 1, pt, pt);
    nn_net_act(net, NN_LINEAR);
    nn_net_output(net, NN_LOSS_QUADRATIC, 1.0);
    nn_exp_finalize(net, N, c->seed);
    nn_optim o = {.kind = NN_OPT_ADAM, .lr = s->example_lr};
    nn_optim_init(&o, net);
    double *curve = nn_calloc((size_t)s->example_steps + 1, sizeof *curve);
    for (int it = 0; it <= s->example_steps; it++) {
        nn_net_forward(net, X, N, NN_TRAIN);
        /* the slide's MSELoss(size_average=False): Σ (y − t)², that is 2N times the library's mean ½ squared error */
        curve[it] = 2.0 * N * nn_net_loss(net, Y, it < s->example_steps);
        if (it == s->example_steps) break;
        nn_net_zero_grad(net);
        nn_net_backward(net);
        nn_optim_step(&o, net, o.lr);
    }
    nn_measure_series(e, c, "loss", curve, s->example_steps + 1); /* the summed squared error per step */
    nn_measure(e, c, "loss_ratio", curve[s->example_steps] / curve[0]);
    free(curve), free(X), free(Y), nn_optim_free(&o), nn_net_free(net);
}

static int cell(nn_exp *e, const nn_cell *c, void *ctx)
{
    (void)ctx;
    const settings *s = c->set;
    if (s->part == MNIST_ML || s->part == MNIST_MAP) return digits(e, c, s), 0;
    const int n = s->n_points, m = s->small_n, T = s->test_points;
    double *x = nn_calloc((size_t)n, sizeof(double)), *t = nn_calloc((size_t)n, sizeof(double));
    double *sx = nn_calloc((size_t)m, sizeof(double)), *st = nn_calloc((size_t)m, sizeof(double));
    double *tx = nn_calloc((size_t)T, sizeof(double)), *tt = nn_calloc((size_t)T, sizeof(double));
    nn_rng rng;
    nn_rng_seed(&rng, c->seed);
    sample(&rng, n, s->noise, x, t), sample(&rng, m, s->noise, sx, st), sample(&rng, T, s->noise, tx, tt);
    if (s->part == REGRESSION) regression(e, c, s, x, t);
    else if (s->part == SMALL) small_set(e, c, s, sx, st, tx, tt);
    else example(e, c, s, &rng);
    free(x), free(t), free(sx), free(st), free(tx), free(tt);
    return 0;
}

/* |1/β_ML − σ²| / σ² of seed r (the cell records it signed) */
static double beta_noise_abs(nn_exp *e, int r, void *ctx)
{
    (void)ctx;
    return fabs(nn_grid_values(e, REGRESSION, "beta_noise")[r]);
}

static int run(nn_exp *e, void *set)
{
    settings *s = set;
    int rc;
    const int n = s->n_points, p = s->degree + 1;
    if (n <= p) return nn_exp_fail(e, 2, "n_points (%d) must exceed the %d parameters of degree %d", n, p, s->degree);
    const char *names[] = {"regression", "small-set", "mnist-ml", "mnist-map", "example"},
               *labels[] = {"(a, b) noisy sin(πx): ML, least squares, the net with L2 and MAP",
                            nn_exp_str(e, "(b) %d points, degree %d: least squares and MAP", s->small_n, s->small_degree),
                            "(b) softmax regression on digits, no L2 (ML)", "(b) softmax regression on digits, L2 (MAP)",
                            "(c) the PyTorch example (Adam)"};
    const char *groups[] = {"regression", "small", "mnist", "mnist", "example"};
    const double xs[] = {NAN, NAN, 0, s->mnist_l2, NAN}; /* the digits': the L2 coefficient */
    for (int i = REGRESSION; i <= EXAMPLE; i++) {
        settings c = *s;
        c.part = i;
        nn_grid_condition(e, names[i], labels[i], &c, groups[i], xs[i]);
    }
    if ((rc = nn_grid_run(e, cell, NULL)) >= 0) return rc;

    /* The claims are declared in experiments/probabilistic.json. ml-is-least-squares, beta-ml-is-mean-squared-residual
     * and l2-is-map hold by construction of the estimators that are run (lectures/claim-rubric.md): the w-step of the
     * likelihood loop is gradient descent on the squared error (β only scales it), its β-step's fixed point is
     * 1/β = SSE/n, and the L2-penalized loss's minimum is the MAP solution by algebra. They check that the code is the
     * formula — identities, not evidence for the lecture. The numbers the claims read beyond the cells' measures: */
    nn_grid_per_seed(e, "beta_noise_abs", beta_noise_abs, NULL); /* |1/β_ML − σ²| / σ² */
    nn_grid_derived(e, "noise_variance", s->noise * s->noise);
    nn_grid_derived(e, "beta_tolerance", 3 * sqrt(2.0 / n)); /* 3 standard errors of 1/β_ML, relative */
    nn_grid_derived(e, "mnist_images", nn_min_i(e->data.train.n, s->mnist_n)); /* the digits each seed trains on */
    return -1;
}

int main(int argc, char **argv) { return nn_exp_main(&def, run, argc, argv); }
