/* nn_net.c — layers wired into a network: build, forward, loss, backward (see nn_net.h). */
#include "nn_net.h"
#include "nn_batchnorm.h"
#include "nn_dense.h"

#include <math.h>
#include <string.h>

/* ---- building ----------------------------------------------------------------------- */

nn_net *nn_net_new(int n_input)
{
    NN_ASSERT(n_input > 0, "n_input=%d", n_input);
    nn_net *net = nn_calloc(1, sizeof *net);
    net->n_input = n_input;
    net->in_c = n_input, net->in_h = 1, net->in_w = 1;
    net->cur = -1;
    net->cur_head = -1;
    return net;
}

static int node_width(const nn_net *net, int node)
{
    NN_ASSERT(node >= -1 && node < net->n_layers, "node %d of %d", node, net->n_layers);
    return node < 0 ? net->n_input : net->layers[node].n;
}

/* a node's shape per sample */
static void node_shape(const nn_net *net, int node, int *c, int *h, int *w)
{
    if (node < 0) *c = net->in_c, *h = net->in_h, *w = net->in_w;
    else *c = net->layers[node].c, *h = net->layers[node].h, *w = net->layers[node].w;
}

void nn_net_input_shape(nn_net *net, int c, int h, int w)
{
    NN_ASSERT(net->n_layers == 0, "the input shape is declared before the first layer");
    NN_ASSERT(c > 0 && h > 0 && w > 0 && (long)c * h * w == net->n_input, "shape %d x %d x %d for %d inputs", c, h, w,
              net->n_input);
    net->in_c = c, net->in_h = h, net->in_w = w;
}

static nn_layer *append(nn_net *net, nn_layer_kind kind, int n, const char *name)
{
    NN_ASSERT(!net->finalized, "cannot add layers after nn_net_finalize");
    if (net->n_layers == net->cap_layers) {
        int cap = net->cap_layers ? 2 * net->cap_layers : 16;
        nn_layer *l = realloc(net->layers, (size_t)cap * sizeof *l);
        NN_ASSERT(l != NULL, "out of memory");
        net->layers = l;
        net->cap_layers = cap;
    }
    nn_layer *L = &net->layers[net->n_layers];
    memset(L, 0, sizeof *L);
    L->kind = kind;
    L->in = net->cur;
    L->in2 = -1;
    L->n_in = node_width(net, net->cur);
    L->n = n;
    /* element-wise layers keep their input's shape; others set theirs after append */
    int c, h, w;
    node_shape(net, net->cur, &c, &h, &w);
    if ((long)c * h * w == n) L->c = c, L->h = h, L->w = w;
    else L->c = n, L->h = 1, L->w = 1;
    L->head = net->cur_head;
    snprintf(L->name, sizeof L->name, "%s%d", name, net->n_layers);
    net->cur = net->n_layers++;
    return L;
}

int nn_net_dense(nn_net *net, int n_out, int bias, nn_init w_init, nn_init b_init)
{
    NN_ASSERT(n_out > 0, "n_out=%d", n_out);
    nn_layer *L = append(net, NN_L_DENSE, n_out, "dense");
    L->c = n_out, L->h = 1, L->w = 1;
    L->has_bias = bias;
    L->w_init = w_init;
    L->b_init = b_init;
    return net->cur;
}

int nn_net_conv(nn_net *net, int channels, int k, int stride, int pad, nn_init w_init, nn_init b_init)
{
    int c, h, w;
    node_shape(net, net->cur, &c, &h, &w);
    nn_conv_shape cs;
    if (nn_conv_shape_init(&cs, c, h, w, channels, k, stride, pad)) return -1;
    nn_layer *L = append(net, NN_L_CONV, channels * cs.ho * cs.wo, "conv");
    L->conv = cs;
    L->c = channels, L->h = cs.ho, L->w = cs.wo;
    L->has_bias = 1;
    L->w_init = w_init;
    L->b_init = b_init;
    return net->cur;
}

int nn_net_maxpool(nn_net *net, int q, int stride)
{
    int c, h, w;
    node_shape(net, net->cur, &c, &h, &w);
    nn_pool_shape ps;
    if (nn_pool_shape_init(&ps, c, h, w, q, stride)) return -1;
    nn_layer *L = append(net, NN_L_MAXPOOL, c * ps.ho * ps.wo, "pool");
    L->pool = ps;
    L->c = c, L->h = ps.ho, L->w = ps.wo;
    return net->cur;
}

int nn_net_act(nn_net *net, nn_act f)
{
    nn_layer *L = append(net, NN_L_ACT, node_width(net, net->cur), nn_act_name(f));
    L->act = f;
    return net->cur;
}

int nn_net_batchnorm(nn_net *net, double eps, double momentum)
{
    NN_ASSERT(eps > 0 && momentum >= 0 && momentum <= 1, "eps=%g momentum=%g", eps, momentum);
    nn_layer *L = append(net, NN_L_BATCHNORM, node_width(net, net->cur), "bn");
    L->bn_eps = eps;
    L->bn_momentum = momentum;
    L->bn_affine = L->bn_through_stats = 1;
    return net->cur;
}

void nn_net_bn_variant(nn_net *net, int layer, int affine, int through_stats)
{
    NN_ASSERT(layer >= 0 && layer < net->n_layers && net->layers[layer].kind == NN_L_BATCHNORM, "layer %d", layer);
    net->layers[layer].bn_affine = affine != 0;
    net->layers[layer].bn_through_stats = through_stats != 0;
}

int nn_net_dropout(nn_net *net, double p_drop)
{
    NN_ASSERT(p_drop >= 0 && p_drop < 1, "p_drop=%g", p_drop);
    nn_layer *L = append(net, NN_L_DROPOUT, node_width(net, net->cur), "dropout");
    L->p_drop = p_drop;
    return net->cur;
}

int nn_net_noise(nn_net *net, double scale_sd, double mean_range, double shift_sd)
{
    NN_ASSERT(scale_sd >= 0 && shift_sd >= 0 && mean_range >= 0 && isfinite(scale_sd + shift_sd + mean_range),
              "scale_sd=%g mean_range=%g shift_sd=%g", scale_sd, mean_range, shift_sd);
    nn_layer *L = append(net, NN_L_NOISE, node_width(net, net->cur), "noise");
    L->noise_scale_sd = scale_sd, L->noise_mean_range = mean_range, L->noise_shift_sd = shift_sd;
    return net->cur;
}

int nn_net_add(nn_net *net, int skip_node)
{
    int w = node_width(net, net->cur);
    NN_ASSERT(node_width(net, skip_node) == w, "residual add of widths %d and %d", w,
              node_width(net, skip_node));
    nn_layer *L = append(net, NN_L_ADD, w, "add");
    L->in2 = skip_node;
    return net->cur;
}

int nn_net_maxout(nn_net *net, int pieces)
{
    int w = node_width(net, net->cur);
    NN_ASSERT(pieces >= 1 && w % pieces == 0, "max-out of %d inputs in pieces of %d", w, pieces);
    nn_layer *L = append(net, NN_L_MAXOUT, w / pieces, "maxout");
    L->pieces = pieces;
    return net->cur;
}

int nn_net_concat(nn_net *net, int skip_node)
{
    int w1 = node_width(net, net->cur), w2 = node_width(net, skip_node);
    nn_layer *L = append(net, NN_L_CONCAT, w1 + w2, "concat");
    L->in2 = skip_node;
    return net->cur;
}

void nn_net_from(nn_net *net, int node)
{
    node_width(net, node); /* range check */
    net->cur = node;
}

void nn_net_begin_head(nn_net *net, int node)
{
    NN_ASSERT(net->n_outputs >= 1, "declare the main output before heads");
    NN_ASSERT(net->n_outputs < NN_MAX_OUTPUTS, "at most %d outputs", NN_MAX_OUTPUTS);
    nn_net_from(net, node);
    net->cur_head = net->n_outputs;
}

int nn_net_output(nn_net *net, nn_loss loss, double weight)
{
    NN_ASSERT(net->n_outputs < NN_MAX_OUTPUTS, "at most %d outputs", NN_MAX_OUTPUTS);
    int node = net->cur;
    if (node < 0 || net->layers[node].kind != NN_L_ACT)
        return nn_fail("an output must be an activation layer (linear, sigmoid, tanh, relu or softmax)");
    nn_layer *L = &net->layers[node];
    nn_act need = nn_loss_fused_act(loss);
    if (need != NN_ACT_COUNT && L->act != need)
        return nn_fail("loss '%s' needs a %s output activation, not %s", nn_loss_name(loss), nn_act_name(need),
                       nn_act_name(L->act));
    if (net->n_outputs > 0 && L->n != net->layers[net->outputs[0].node].n)
        return nn_fail("a head has %d outputs but the main output has %d", L->n,
                       net->layers[net->outputs[0].node].n);
    L->fused = need != NN_ACT_COUNT;
    nn_output *o = &net->outputs[net->n_outputs];
    o->node = node;
    o->loss = loss;
    o->weight = net->n_outputs == 0 ? 1.0 : weight;
    net->cur_head = -1;
    return net->n_outputs++;
}

static void add_tensor(nn_net *net, int layer, const char *what, size_t size, int decay, size_t *offset)
{
    nn_tensor *t = &net->tensors[net->n_tensors++];
    snprintf(t->name, sizeof t->name, "%s.%s", net->layers[layer].name, what);
    t->layer = layer;
    t->offset = *offset;
    t->size = size;
    t->decay = decay;
    *offset += size;
}

/* Before anything large is allocated: what the network will need (parameters with their
 * gradients and up to three optimizer slabs, each layer's output and gradient at the largest
 * batch, a layer's extra per-sample buffer) against the memory this process may use. Settings
 * in range can ask for terabytes (--hidden 100000,100000): that is a message and exit 1, not an
 * allocation that the kernel grants and then kills the process for touching. */
static void check_memory(const nn_net *net, size_t n_params, int max_batch)
{
    double per_sample = 0, widest = 0, conv = 0;
    int widest_layer = -1;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        per_sample += 3.0 * L->n; /* output, its gradient, and a mask, x-hat or argmax */
        if (L->kind == NN_L_CONV) conv += (double)nn_conv_work_size(&L->conv, max_batch);
        double w = L->kind == NN_L_DENSE ? (double)L->n * L->n_in : 0;
        if (w > widest) widest = w, widest_layer = i;
    }
    double need = ((double)n_params * 5 + per_sample * max_batch + conv) * sizeof(nn_real);
    size_t have = nn_memory_limit();
    if (need <= 0.9 * (double)have) return;
    char a[32], b[32], c[32];
    fflush(stdout);
    fprintf(stderr, "this network needs about %s of memory, more than the %s this process may use (%s): "
                    "%zu parameters (%s with their gradients and the optimizer's state)",
            nn_bytes_str(need, a, sizeof a), nn_bytes_str((double)have, b, sizeof b), nn_memory_limit_source(), n_params,
            nn_bytes_str((double)n_params * 5 * sizeof(nn_real), c, sizeof c));
    if (widest_layer >= 0)
        fprintf(stderr, ", the largest layer %s with %d units from %d inputs", net->layers[widest_layer].name,
                net->layers[widest_layer].n, net->layers[widest_layer].n_in);
    fprintf(stderr, ", and %s for the layers' outputs at batch %d; narrow the layers (--hidden) or lower the batch\n",
            nn_bytes_str(per_sample * max_batch * sizeof(nn_real), a, sizeof a), max_batch);
    exit(1);
}

void nn_net_finalize(nn_net *net, int max_batch, uint64_t seed)
{
    NN_ASSERT(!net->finalized, "finalized twice");
    NN_ASSERT(net->n_outputs >= 1, "no output declared (nn_net_output)");
    NN_ASSERT(max_batch > 0, "max_batch=%d", max_batch);
    net->max_batch = max_batch;
    /* every node read by a fused output activation's consumer would miss its gradient */
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        NN_ASSERT(!(L->in >= 0 && net->layers[L->in].fused) && !(L->in2 >= 0 && net->layers[L->in2].fused),
                  "layer %s reads an output fused with its loss", L->name);
    }
    /* count and lay out the parameter slab */
    size_t total = 0;
    int n_tensors = 0, widest = net->n_input;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        widest = nn_max_i(widest, L->n);
        if (L->kind == NN_L_DENSE) total += (size_t)L->n * L->n_in + (L->has_bias ? L->n : 0), n_tensors += 2;
        if (L->kind == NN_L_BATCHNORM) total += 2 * (size_t)L->c, n_tensors += 2;
        if (L->kind == NN_L_CONV)
            total += (size_t)L->conv.co * L->conv.ci * L->conv.k * L->conv.k + (size_t)L->conv.co, n_tensors += 2;
    }
    net->n_params = total;
    check_memory(net, total, max_batch);
    net->params = nn_calloc(total, sizeof(nn_real));
    net->grads = nn_calloc(total, sizeof(nn_real));
    net->tensors = nn_calloc((size_t)n_tensors, sizeof(nn_tensor));
    size_t off = 0;
    for (int i = 0; i < net->n_layers; i++) {
        nn_layer *L = &net->layers[i];
        size_t bn = (size_t)max_batch * L->n;
        L->out = nn_calloc(bn, sizeof(nn_real));
        L->dout = nn_calloc(bn, sizeof(nn_real));
        switch (L->kind) {
        case NN_L_DENSE:
            L->W = net->params + off, L->dW = net->grads + off;
            add_tensor(net, i, "W", (size_t)L->n * L->n_in, 1, &off);
            if (L->has_bias) {
                L->b = net->params + off, L->db = net->grads + off;
                add_tensor(net, i, "b", (size_t)L->n, 0, &off);
            }
            break;
        case NN_L_BATCHNORM:
            L->gamma = net->params + off, L->dgamma = net->grads + off;
            /* one feature per channel (per unit after a dense layer: c = n, h = w = 1) */
            add_tensor(net, i, "gamma", (size_t)L->c, 0, &off);
            L->beta = net->params + off, L->dbeta = net->grads + off;
            add_tensor(net, i, "beta", (size_t)L->c, 0, &off);
            L->run_mean = nn_calloc((size_t)L->c, sizeof(nn_real));
            L->run_var = nn_calloc((size_t)L->c, sizeof(nn_real));
            L->mu = nn_calloc((size_t)L->c, sizeof(nn_real));
            L->var = nn_calloc((size_t)L->c, sizeof(nn_real));
            L->inv_std = nn_calloc((size_t)L->c, sizeof(nn_real));
            L->xhat = nn_calloc(bn, sizeof(nn_real));
            break;
        case NN_L_DROPOUT: L->mask = nn_calloc(bn, sizeof(nn_real)); break;
        case NN_L_NOISE: L->mask = nn_calloc(2 * bn, sizeof(nn_real)); break;
        case NN_L_CONV:
            L->W = net->params + off, L->dW = net->grads + off;
            add_tensor(net, i, "W", (size_t)L->conv.co * L->conv.ci * L->conv.k * L->conv.k, 1, &off);
            L->b = net->params + off, L->db = net->grads + off;
            add_tensor(net, i, "b", (size_t)L->conv.co, 0, &off);
            L->col = nn_calloc(nn_conv_work_size(&L->conv, max_batch), sizeof(nn_real));
            break;
        case NN_L_MAXPOOL: L->arg = nn_calloc(bn, sizeof(int)); break;
        case NN_L_MAXOUT: L->arg = nn_calloc(bn, sizeof(int)); break;
        default: break;
        }
    }
    NN_ASSERT(off == total, "slab %zu != %zu", off, total);
    net->Y = nn_calloc((size_t)max_batch * nn_net_n_out(net), sizeof(nn_real));
    net->scratch = nn_calloc(3 * (size_t)widest, sizeof(double));
    net->finalized = 1;
    nn_net_reinit(net, seed);
}

void nn_net_reinit(nn_net *net, uint64_t seed)
{
    nn_rng root, rinit;
    nn_rng_seed(&root, seed);
    nn_rng_fork(&rinit, &root, 1);
    nn_rng_fork(&net->rng_dropout, &root, 2);
    for (int i = 0; i < net->n_layers; i++) {
        nn_layer *L = &net->layers[i];
        if (L->kind == NN_L_DENSE) {
            nn_init_fill(L->W, (size_t)L->n * L->n_in, L->w_init, L->n_in, L->n, &rinit);
            if (L->has_bias) nn_init_fill(L->b, (size_t)L->n, L->b_init, L->n_in, L->n, &rinit);
        } else if (L->kind == NN_L_CONV) { /* fan-in c·k·k, fan-out co·k·k */
            const nn_conv_shape *cs = &L->conv;
            int fi = cs->ci * cs->k * cs->k, fo = cs->co * cs->k * cs->k;
            nn_init_fill(L->W, (size_t)cs->co * fi, L->w_init, fi, fo, &rinit);
            nn_init_fill(L->b, (size_t)cs->co, L->b_init, fi, fo, &rinit);
        } else if (L->kind == NN_L_BATCHNORM) {
            for (int j = 0; j < L->c; j++) L->gamma[j] = 1, L->beta[j] = 0, L->run_mean[j] = 0, L->run_var[j] = 1;
        }
    }
    memset(net->grads, 0, net->n_params * sizeof(nn_real));
}

void nn_net_free(nn_net *net)
{
    if (!net) return;
    for (int i = 0; i < net->n_layers; i++) {
        nn_layer *L = &net->layers[i];
        free(L->out), free(L->dout), free(L->mask), free(L->xhat), free(L->col), free(L->arg);
        free(L->run_mean), free(L->run_var), free(L->mu), free(L->var), free(L->inv_std);
    }
    free(net->layers);
    free(net->params);
    free(net->grads);
    free(net->tensors);
    free(net->Y);
    free(net->scratch);
    free(net);
}

int nn_net_n_out(const nn_net *net)
{
    NN_ASSERT(net->n_outputs >= 1, "no output declared");
    return net->layers[net->outputs[0].node].n;
}

const nn_real *nn_net_node_out(const nn_net *net, int node)
{
    return node < 0 ? net->input : net->layers[node].out;
}

nn_real *nn_net_node_dout(const nn_net *net, int node)
{
    return node < 0 ? NULL : net->layers[node].dout;
}

const nn_real *nn_net_output_values(const nn_net *net) { return net->layers[net->outputs[0].node].out; }

/* ---- forward --------------------------------------------------------------------- */

static void dropout_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    size_t N = (size_t)B * L->n;
    if (net->mode != NN_TRAIN || L->p_drop == 0) {
        memcpy(L->out, x, N * sizeof(nn_real));
        return;
    }
    /* inverted dropout: keep with probability q = 1 − p and scale by 1/q now, so the
     * expected output equals the input and evaluation needs no rescaling (seed 000) */
    if (!net->freeze_dropout) {
        const double q = 1.0 - L->p_drop;
        const nn_real scale = (nn_real)(1.0 / q);
        for (size_t i = 0; i < N; i++) L->mask[i] = nn_rng_uniform(&net->rng_dropout) < q ? scale : 0;
    }
    for (size_t i = 0; i < N; i++) L->out[i] = x[i] * L->mask[i];
}

/* Training: y = a·x + c per sample and unit, a = exp(scale_sd·ξ) and c = μ_j + shift_sd·ξ′ drawn i.i.d.
 * for every activation of every sample, where each unit's mean μ_j ~ U(−mean_range, mean_range) is drawn
 * afresh for the step; backward multiplies by a. Evaluation: the expected transform E[a]·x + E[c] =
 * exp(scale_sd²/2)·x, so the net evaluated is the net trained, on average (as inverted dropout). */
static nn_real noise_expected_scale(const nn_layer *L) { return (nn_real)exp(0.5 * L->noise_scale_sd * L->noise_scale_sd); }

static void noise_forward(nn_net *net, nn_layer *L, const nn_real *x, int B)
{
    const int n = L->n;
    const size_t N = (size_t)B * n;
    if (net->mode != NN_TRAIN) {
        const nn_real ea = noise_expected_scale(L);
        for (size_t i = 0; i < N; i++) L->out[i] = ea * x[i];
        return;
    }
    nn_real *scale = L->mask, *shift = L->mask + (size_t)net->max_batch * n;
    if (!net->freeze_dropout) {
        nn_rng *g = &net->rng_dropout;
        for (int j = 0; j < n; j++) { /* this step's mean of unit j, kept in the shift row of sample 0 until used */
            shift[j] = (nn_real)(L->noise_mean_range * (2 * nn_rng_uniform(g) - 1));
        }
        for (int b = B - 1; b >= 0; b--) /* from the last sample so that row 0's means are read before overwritten */
            for (int j = 0; j < n; j++) {
                const size_t k = (size_t)b * n + j;
                scale[k] = (nn_real)exp(L->noise_scale_sd * nn_rng_gauss(g));
                shift[k] = (nn_real)(shift[j] + L->noise_shift_sd * nn_rng_gauss(g));
            }
    }
    for (size_t i = 0; i < N; i++) L->out[i] = x[i] * scale[i] + shift[i];
}

void nn_net_forward(nn_net *net, const nn_real *X, int B, nn_mode mode)
{
    NN_ASSERT(net->finalized, "nn_net_finalize first");
    NN_ASSERT(B > 0 && B <= net->max_batch, "batch of %d rows, network built for at most %d", B, net->max_batch);
    net->input = X;
    net->B = B;
    net->mode = mode;
    for (int i = 0; i < net->n_layers; i++) {
        nn_layer *L = &net->layers[i];
        const nn_real *x = nn_net_node_out(net, L->in);
        switch (L->kind) {
        case NN_L_DENSE: nn_dense_forward(L->out, x, L->W, L->b, B, L->n_in, L->n); break;
        case NN_L_ACT: nn_act_forward(L->act, L->out, x, B, L->n); break;
        case NN_L_CONV: nn_conv_forward(&L->conv, L->out, x, L->W, L->b, B, L->col); break;
        case NN_L_MAXPOOL: nn_maxpool_forward(&L->pool, L->out, L->arg, x, B); break;
        case NN_L_BATCHNORM:
            if (mode == NN_EVAL) {
                nn_bn_forward_eval(L->out, x, L->run_mean, L->run_var, L->gamma, L->beta, L->bn_eps, B, L->c, L->h * L->w);
            } else {
                nn_bn_forward_train(L->out, L->xhat, L->mu, L->var, L->inv_std, x, L->gamma, L->beta, L->bn_eps, B, L->c,
                                    L->h * L->w);
                if (mode == NN_TRAIN)
                    nn_bn_update_running(L->run_mean, L->run_var, L->mu, L->var, L->bn_momentum, B, L->c, L->h * L->w);
            }
            break;
        case NN_L_DROPOUT: dropout_forward(net, L, x, B); break;
        case NN_L_NOISE: noise_forward(net, L, x, B); break;
        case NN_L_ADD: {
            const nn_real *x2 = nn_net_node_out(net, L->in2);
            size_t N = (size_t)B * L->n;
            for (size_t k = 0; k < N; k++) L->out[k] = x[k] + x2[k];
            break;
        }
        case NN_L_MAXOUT: /* out[b, j] = max over x[b, j·k … j·k + k − 1] */
            for (int b = 0; b < B; b++)
                for (int j = 0; j < L->n; j++) {
                    const nn_real *xs = x + (size_t)b * L->n_in + (size_t)j * L->pieces;
                    int best = 0;
                    for (int q = 1; q < L->pieces; q++)
                        if (xs[q] > xs[best]) best = q;
                    L->out[(size_t)b * L->n + j] = xs[best];
                    L->arg[(size_t)b * L->n + j] = j * L->pieces + best;
                }
            break;
        case NN_L_CONCAT: { /* row b: [x1 (n_in), x2 (n − n_in)] */
            const nn_real *x2 = nn_net_node_out(net, L->in2);
            const int n1 = L->n_in, n2 = L->n - L->n_in;
            for (int b = 0; b < B; b++) {
                memcpy(L->out + (size_t)b * L->n, x + (size_t)b * n1, (size_t)n1 * sizeof(nn_real));
                memcpy(L->out + (size_t)b * L->n + n1, x2 + (size_t)b * n2, (size_t)n2 * sizeof(nn_real));
            }
            break;
        }
        case NN_L_KIND_COUNT: NN_ASSERT(0, "layer %d has no kind", i);
        }
    }
}

/* ---- loss ------------------------------------------------------------------------- */

void nn_net_set_labels(nn_net *net, const int *y, int B)
{
    int n = nn_net_n_out(net);
    NN_ASSERT(B <= net->max_batch, "B=%d", B);
    if (n == 1) {
        for (int r = 0; r < B; r++) net->Y[r] = (nn_real)y[r];
        return;
    }
    memset(net->Y, 0, (size_t)B * n * sizeof(nn_real));
    for (int r = 0; r < B; r++) {
        NN_ASSERT(y[r] >= 0 && y[r] < n, "label %d with %d outputs", y[r], n);
        net->Y[(size_t)r * n + y[r]] = 1;
    }
}

double nn_net_loss(nn_net *net, const nn_real *Y, int grad)
{
    const int B = net->B;
    if (grad)
        for (int i = 0; i < net->n_layers; i++) memset(net->layers[i].dout, 0, (size_t)B * net->layers[i].n * sizeof(nn_real));
    double total = 0;
    for (int j = 0; j < net->n_outputs; j++) {
        nn_output *o = &net->outputs[j];
        const nn_layer *L = &net->layers[o->node];
        const nn_real *z = nn_net_node_out(net, L->in);
        /* a fused loss hands ∂C/∂z to the activation's input; otherwise ∂C/∂a to the activation */
        nn_real *g = NULL;
        if (grad) g = L->fused ? nn_net_node_dout(net, L->in) : L->dout;
        o->last_loss = nn_loss_eval(o->loss, g, z, L->out, Y, B, L->n, o->weight);
        total += o->weight * o->last_loss;
    }
    return total;
}

/* ---- backward ----------------------------------------------------------------------- */

void nn_net_zero_grad(nn_net *net) { net->grads_stale = 1; }

void nn_net_settle_grads(nn_net *net)
{
    if (net->grads_stale) memset(net->grads, 0, net->n_params * sizeof(nn_real));
    net->grads_stale = 0;
}

static void add_into(nn_real *dst, const nn_real *src, size_t N)
{
    for (size_t k = 0; k < N; k++) dst[k] += src[k];
}

void nn_net_backward(nn_net *net)
{
    const int B = net->B, fresh = net->grads_stale; /* fresh: write the parameter gradients, not add */
    for (int i = net->n_layers - 1; i >= 0; i--) {
        nn_layer *L = &net->layers[i];
        const nn_real *x = nn_net_node_out(net, L->in);
        nn_real *dx = nn_net_node_dout(net, L->in); /* NULL for the network input */
        size_t N = (size_t)B * L->n;
        if (fresh && L->kind == NN_L_CONV) {
            memset(L->dW, 0, (size_t)L->conv.co * L->conv.ci * L->conv.k * L->conv.k * sizeof(nn_real));
            if (L->db) memset(L->db, 0, (size_t)L->conv.co * sizeof(nn_real));
        }
        if (fresh && L->kind == NN_L_BATCHNORM)
            memset(L->dgamma, 0, (size_t)L->c * sizeof(nn_real)), memset(L->dbeta, 0, (size_t)L->c * sizeof(nn_real));
        switch (L->kind) {
        case NN_L_DENSE: nn_dense_backward_to(dx, L->dW, L->db, L->dout, x, L->W, B, L->n_in, L->n, fresh); break;
        case NN_L_ACT:
            if (!L->fused && dx) nn_act_backward(L->act, dx, L->dout, x, L->out, B, L->n);
            break;
        case NN_L_CONV: nn_conv_backward(&L->conv, dx, L->dW, L->db, L->dout, L->W, B, L->col); break;
        case NN_L_MAXPOOL:
            if (dx) nn_maxpool_backward(&L->pool, dx, L->dout, L->arg, B);
            break;
        case NN_L_BATCHNORM:
            if (net->mode == NN_EVAL) {
                nn_bn_backward_eval(dx, L->dgamma, L->dbeta, L->dout, x, L->run_mean, L->run_var, L->gamma, L->bn_eps, B,
                                    L->c, L->h * L->w);
            } else if (!L->bn_through_stats) { /* the batch's μ and σ² as if they were constants */
                nn_bn_backward_eval(dx, L->dgamma, L->dbeta, L->dout, x, L->mu, L->var, L->gamma, L->bn_eps, B, L->c,
                                    L->h * L->w);
            } else {
                nn_bn_backward(dx, L->dgamma, L->dbeta, L->dout, x, L->xhat, L->mu, L->var, L->gamma, L->bn_eps, B,
                               L->c, L->h * L->w, net->scratch);
            }
            if (!L->bn_affine) memset(L->dgamma, 0, (size_t)L->c * sizeof(nn_real)), memset(L->dbeta, 0, (size_t)L->c * sizeof(nn_real));
            break;
        case NN_L_NOISE:
            if (!dx) break;
            if (net->mode != NN_TRAIN) {
                const nn_real ea = noise_expected_scale(L);
                for (size_t k = 0; k < N; k++) dx[k] += ea * L->dout[k];
            } else
                for (size_t k = 0; k < N; k++) dx[k] += L->dout[k] * L->mask[k];
            break;
        case NN_L_DROPOUT:
            if (!dx) break;
            if (net->mode != NN_TRAIN || L->p_drop == 0)
                add_into(dx, L->dout, N);
            else
                for (size_t k = 0; k < N; k++) dx[k] += L->dout[k] * L->mask[k];
            break;
        case NN_L_ADD:
            if (dx) add_into(dx, L->dout, N);
            if (L->in2 >= 0) add_into(net->layers[L->in2].dout, L->dout, N);
            break;
        case NN_L_MAXOUT: /* to the input that won */
            if (!dx) break;
            for (int b = 0; b < B; b++)
                for (int j = 0; j < L->n; j++)
                    dx[(size_t)b * L->n_in + L->arg[(size_t)b * L->n + j]] += L->dout[(size_t)b * L->n + j];
            break;
        case NN_L_CONCAT: { /* split the gradient back to both inputs */
            const int n1 = L->n_in, n2 = L->n - L->n_in;
            nn_real *dx2 = nn_net_node_dout(net, L->in2);
            for (int b = 0; b < B; b++) {
                if (dx) add_into(dx + (size_t)b * n1, L->dout + (size_t)b * L->n, (size_t)n1);
                if (dx2) add_into(dx2 + (size_t)b * n2, L->dout + (size_t)b * L->n + n1, (size_t)n2);
            }
            break;
        }
        case NN_L_KIND_COUNT: NN_ASSERT(0, "layer %d has no kind", i);
        }
    }
    net->grads_stale = 0;
}

/* ---- parameters ------------------------------------------------------------------- */

double nn_net_l2_penalty(const nn_net *net, double lambda)
{
    double s = 0;
    for (int t = 0; t < net->n_tensors; t++) {
        const nn_tensor *T = &net->tensors[t];
        if (!T->decay) continue;
        for (size_t k = 0; k < T->size; k++) s += (double)net->params[T->offset + k] * net->params[T->offset + k];
    }
    return 0.5 * lambda * s;
}

void nn_net_add_l2_grad(nn_net *net, double lambda)
{
    if (lambda == 0) return;
    for (int t = 0; t < net->n_tensors; t++) {
        const nn_tensor *T = &net->tensors[t];
        if (!T->decay) continue;
        for (size_t k = 0; k < T->size; k++) net->grads[T->offset + k] += (nn_real)(lambda * net->params[T->offset + k]);
    }
}

const nn_tensor *nn_net_tensor(const nn_net *net, const char *name)
{
    for (int t = 0; t < net->n_tensors; t++)
        if (strcmp(net->tensors[t].name, name) == 0) return &net->tensors[t];
    return NULL;
}

int nn_net_copy_params(nn_net *dst, const nn_net *src, const char *skip_prefix)
{
    int copied = 0;
    for (int t = 0; t < src->n_tensors; t++) {
        const nn_tensor *a = &src->tensors[t];
        if (skip_prefix && strncmp(a->name, skip_prefix, strlen(skip_prefix)) == 0) continue;
        const nn_tensor *b = nn_net_tensor(dst, a->name);
        if (!b || b->size != a->size) continue;
        memcpy(dst->params + b->offset, src->params + a->offset, a->size * sizeof(nn_real));
        copied++;
    }
    return copied;
}

int nn_net_params_finite(const nn_net *net) { return nn_all_finite(net->params, net->n_params); }

/* ---- the MLP ---------------------------------------------------------------------- */

void nn_net_name_layer(nn_net *net, int layer, const char *name)
{
    NN_ASSERT(layer >= 0 && layer < net->n_layers && !net->finalized, "name layers while building");
    snprintf(net->layers[layer].name, sizeof net->layers[layer].name, "%s", name);
}

/* name layer i "<tag>.<what>" (tensor names follow: "hidden2.dense.W") */
static void name_layer(nn_net *net, int i, const char *tag, const char *what)
{
    char name[sizeof net->layers[i].name];
    snprintf(name, sizeof name, "%s.%s", tag, what);
    nn_net_name_layer(net, i, name);
}

/* the part every hidden block shares: [batch norm] → activation → [dropout]; returns the
 * activation layer */
static int bn_act_dropout(nn_net *net, const nn_mlp_spec *s, int k, const char *tag)
{
    if (s->batchnorm) name_layer(net, nn_net_batchnorm(net, s->bn_eps, s->bn_momentum), tag, "bn");
    int a = nn_net_act(net, s->act[k]);
    name_layer(net, a, tag, nn_act_name(s->act[k]));
    if (s->dropout > 0) name_layer(net, nn_net_dropout(net, s->dropout), tag, "dropout");
    return a;
}

nn_net *nn_mlp_build(const nn_mlp_spec *s, int max_batch, uint64_t seed)
{
    if (s->n_input <= 0 || s->n_output <= 0) {
        nn_fail("network needs positive input and output widths (got %d and %d)", s->n_input, s->n_output);
        return NULL;
    }
    if (s->n_hidden < 0 || s->n_hidden > NN_MAX_HIDDEN) {
        nn_fail("hidden layers: %d (at most %d)", s->n_hidden, NN_MAX_HIDDEN);
        return NULL;
    }
    for (int k = 0; k < s->n_hidden; k++)
        if (s->hidden[k] <= 0) {
            nn_fail("hidden layer %d has width %d; widths must be positive", k + 1, s->hidden[k]);
            return NULL;
        }
    for (int h = 0; h < s->n_heads; h++)
        if (s->head_at[h] < 1 || s->head_at[h] > s->n_hidden) {
            nn_fail("a head is attached to hidden layer %d, but the net has hidden layers 1..%d", s->head_at[h],
                    s->n_hidden);
            return NULL;
        }
    /* batch norm with max_batch 1 builds: evaluation uses the running statistics; training refuses
     * mini-batches of one sample (nn_train), with the message the program passes on */
    nn_net *net = nn_net_new(s->n_input);
    int block_out[NN_MAX_HIDDEN];
    for (int k = 0; k < s->n_hidden; k++) {
        int block_in = net->cur;
        char tag[24];
        snprintf(tag, sizeof tag, "hidden%d", k + 1);
        if (s->residual && k > 0 && node_width(net, block_in) == s->hidden[k]) {
            /* a pre-activation residual block (He et al. 2016, "identity mappings"):
             * h_k = h_{k−1} + W·act(BN(h_{k−1})), a clean identity path from block to block */
            bn_act_dropout(net, s, k, tag);
            int d = nn_net_dense(net, s->hidden[k], 1, s->w_init, s->b_init);
            name_layer(net, d, tag, "dense");
            int r = nn_net_add(net, block_in);
            name_layer(net, r, tag, "add");
            block_out[k] = net->cur;
            continue;
        }
        int d = nn_net_dense(net, s->hidden[k], !s->batchnorm, s->w_init, s->b_init);
        name_layer(net, d, tag, "dense");
        bn_act_dropout(net, s, k, tag);
        block_out[k] = net->cur;
    }
    if (s->residual && s->n_hidden > 0 && net->layers[net->cur].kind == NN_L_ADD) {
        /* pre-activation nets end with the normalization and activation their last block skipped */
        if (s->batchnorm) {
            int b = nn_net_batchnorm(net, s->bn_eps, s->bn_momentum);
            name_layer(net, b, "final", "bn");
        }
        int a = nn_net_act(net, s->act[s->n_hidden - 1]);
        name_layer(net, a, "final", nn_act_name(s->act[s->n_hidden - 1]));
    }
    int d = nn_net_dense(net, s->n_output, 1, s->w_init, s->b_init);
    name_layer(net, d, "out", "dense");
    int a = nn_net_act(net, s->out_act);
    name_layer(net, a, "out", nn_act_name(s->out_act));
    if (nn_net_output(net, s->loss, 1.0) < 0) {
        nn_net_free(net);
        return NULL;
    }
    for (int h = 0; h < s->n_heads; h++) {
        int at = s->head_at[h];
        nn_net_begin_head(net, block_out[at - 1]);
        int hd = nn_net_dense(net, s->n_output, 1, s->w_init, s->b_init);
        char head[24];
        snprintf(head, sizeof head, "head%d", at);
        name_layer(net, hd, head, "dense");
        int ha = nn_net_act(net, s->out_act);
        name_layer(net, ha, head, nn_act_name(s->out_act));
        if (nn_net_output(net, s->loss, s->head_alpha) < 0) {
            nn_net_free(net);
            return NULL;
        }
    }
    nn_net_finalize(net, max_batch, seed);
    return net;
}

void nn_mlp_layout_of(const nn_net *net, nn_mlp_layout *lo)
{
    memset(lo, 0, sizeof *lo);
    lo->out_dense = -1;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        int k;
        if (L->head >= 0) continue;
        if (sscanf(L->name, "hidden%d.", &k) == 1 && k >= 1 && k <= NN_MAX_HIDDEN) {
            if (k > lo->n_hidden) lo->n_hidden = k;
            if (L->kind == NN_L_DENSE) lo->dense[k - 1] = i;
            if (L->kind == NN_L_ACT) lo->act[k - 1] = i;
            lo->out[k - 1] = i; /* the builder appends a block's layers in order: the last is its output */
        } else if (!strcmp(L->name, "out.dense")) {
            lo->out_dense = i;
        }
    }
}
