/* nn_net.c — layers wired into a network: build, forward, loss, backward (see nn_net.h). */
#include "nn_net.h"
#include "nn_layer.h"

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

int nn_net_node_width(const nn_net *net, int node)
{
    NN_ASSERT(node >= -1 && node < net->n_layers, "node %d of %d", node, net->n_layers);
    return node < 0 ? net->n_input : net->layers[node].n;
}

/* a node's shape per sample */
void nn_net_node_shape(const nn_net *net, int node, int *c, int *h, int *w)
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

nn_layer *nn_net_append(nn_net *net, nn_layer_kind kind, int n, const char *name)
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
    L->n_in = nn_net_node_width(net, net->cur);
    L->n = n;
    /* element-wise layers keep their input's shape; others set theirs after append */
    int c, h, w;
    nn_net_node_shape(net, net->cur, &c, &h, &w);
    if ((long)c * h * w == n) L->c = c, L->h = h, L->w = w;
    else L->c = n, L->h = 1, L->w = 1;
    L->head = net->cur_head;
    snprintf(L->name, sizeof L->name, "%s%d", name, net->n_layers);
    net->cur = net->n_layers++;
    return L;
}

void nn_net_from(nn_net *net, int node)
{
    nn_net_node_width(net, node); /* range check */
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

size_t nn_layer_tensor(nn_net *net, int layer, const char *what, size_t size, int decay, size_t *offset)
{
    NN_ASSERT(net->n_tensors < NN_LAYER_MAX_TENSORS * net->n_layers, "more than %d tensors in a layer", NN_LAYER_MAX_TENSORS);
    nn_tensor *t = &net->tensors[net->n_tensors++];
    snprintf(t->name, sizeof t->name, "%s.%s", net->layers[layer].name, what);
    t->layer = layer;
    t->offset = *offset;
    t->size = size;
    t->decay = decay;
    *offset += size;
    return t->offset;
}

/* Before anything large is allocated: what the network will need (parameters with their
 * gradients and up to three optimizer slabs, each layer's output and gradient at the largest
 * batch, a layer's extra per-sample buffer) against the memory this process may use. Settings
 * in range can ask for terabytes (--hidden 100000,100000): that is a message and exit 1, not an
 * allocation that the kernel grants and then kills the process for touching. */
static int check_memory(const nn_net *net, size_t n_params, int max_batch)
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
    if (need <= 0.9 * (double)have) return 0;
    char a[32], b[32], c[32], d[32], widest_part[160] = "";
    if (widest_layer >= 0)
        snprintf(widest_part, sizeof widest_part, ", the largest layer %s with %d units from %d inputs",
                 net->layers[widest_layer].name, net->layers[widest_layer].n, net->layers[widest_layer].n_in);
    return nn_fail("this network needs about %s of memory, more than the %s this process may use (%s): "
                   "%zu parameters (%s with their gradients and the optimizer's state)%s, and %s for the layers' "
                   "outputs at batch %d; narrow the layers (--hidden) or lower the batch",
                   nn_bytes_str(need, a, sizeof a), nn_bytes_str((double)have, b, sizeof b), nn_memory_limit_source(),
                   n_params, nn_bytes_str((double)n_params * 5 * sizeof(nn_real), c, sizeof c), widest_part,
                   nn_bytes_str(per_sample * max_batch * sizeof(nn_real), d, sizeof d), max_batch);
}

int nn_net_finalize(nn_net *net, int max_batch, uint64_t seed)
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
    int widest = net->n_input;
    for (int i = 0; i < net->n_layers; i++) {
        const nn_layer *L = &net->layers[i];
        widest = nn_max_i(widest, L->n);
        if (nn_layer_kinds[L->kind]->n_params) total += nn_layer_kinds[L->kind]->n_params(L);
    }
    net->n_params = total;
    if (check_memory(net, total, max_batch)) return -1;
    net->params = nn_calloc(total, sizeof(nn_real));
    net->grads = nn_calloc(total, sizeof(nn_real));
    net->tensors = nn_calloc((size_t)NN_LAYER_MAX_TENSORS * net->n_layers, sizeof(nn_tensor));
    size_t off = 0;
    for (int i = 0; i < net->n_layers; i++) {
        nn_layer *L = &net->layers[i];
        L->out = nn_calloc((size_t)max_batch * L->n, sizeof(nn_real));
        L->dout = nn_calloc((size_t)max_batch * L->n, sizeof(nn_real));
        if (nn_layer_kinds[L->kind]->setup) nn_layer_kinds[L->kind]->setup(net, i, &off);
    }
    NN_ASSERT(off == total, "slab %zu != %zu", off, total);
    net->Y = nn_calloc((size_t)max_batch * nn_net_n_out(net), sizeof(nn_real));
    net->scratch = nn_calloc(3 * (size_t)widest, sizeof(double));
    net->finalized = 1;
    nn_net_reinit(net, seed);
    return 0;
}

void nn_net_reinit(nn_net *net, uint64_t seed)
{
    nn_rng root, rinit;
    nn_rng_seed(&root, seed);
    nn_rng_fork(&rinit, &root, 1);
    nn_rng_fork(&net->rng_dropout, &root, 2);
    for (int i = 0; i < net->n_layers; i++) /* one stream, layer by layer: each kind draws what it has */
        if (nn_layer_kinds[net->layers[i].kind]->init) nn_layer_kinds[net->layers[i].kind]->init(&net->layers[i], &rinit);
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
        nn_layer_kinds[L->kind]->forward(net, L, x, B);
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

void nn_add_into(nn_real *dst, const nn_real *src, size_t N)
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
        nn_layer_kinds[L->kind]->backward(net, L, x, dx, B, fresh);
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

/* an item named "<tag>.<what>" (tensor names follow: "hidden2.dense.W") */
static nn_layer_item *item(nn_layer_list *l, int kind, const char *tag, const char *what)
{
    char name[sizeof l->item->name];
    snprintf(name, sizeof name, "%s.%s", tag, what);
    return nn_layer_list_push(l, kind, name);
}

static nn_layer_item *dense(nn_layer_list *l, const nn_mlp_spec *s, const char *tag, int n, int bias)
{
    nn_layer_item *it = item(l, NN_L_DENSE, tag, "dense");
    it->d.v[0] = n, it->d.v[1] = bias, it->d.w_init = s->w_init, it->d.b_init = s->b_init;
    return it;
}

static void act(nn_layer_list *l, const char *tag, nn_act f) { item(l, NN_L_ACT, tag, nn_act_name(f))->d.v[0] = f; }

static void bn(nn_layer_list *l, const nn_mlp_spec *s, const char *tag)
{
    nn_layer_item *it = item(l, NN_L_BATCHNORM, tag, "bn");
    it->d.v[0] = it->d.v[1] = it->d.v[2] = 1; /* affine, gradients through the statistics */
    it->d.bn_eps = s->bn_eps, it->d.bn_momentum = s->bn_momentum;
}

/* the part every hidden block shares: [batch norm] → activation → [dropout] */
static void bn_act_dropout(nn_layer_list *l, const nn_mlp_spec *s, int k, const char *tag)
{
    if (s->batchnorm) bn(l, s, tag);
    act(l, tag, s->act[k]);
    if (s->dropout > 0) item(l, NN_L_DROPOUT, tag, "dropout")->d.v[0] = s->dropout;
}

/* dense(n_output) → out_act with the loss, weighted */
static void output(nn_layer_list *l, const nn_mlp_spec *s, const char *tag, double weight)
{
    dense(l, s, tag, s->n_output, 1);
    act(l, tag, s->out_act);
    nn_layer_item *o = nn_layer_list_push(l, NN_ITEM_OUTPUT, NULL);
    o->loss = s->loss, o->weight = weight;
}

int nn_mlp_layers(const nn_mlp_spec *s, nn_layer_list *l)
{
    if (s->n_input <= 0 || s->n_output <= 0)
        return nn_fail("network needs positive input and output widths (got %d and %d)", s->n_input, s->n_output);
    if (s->n_hidden < 0 || s->n_hidden > NN_MAX_HIDDEN)
        return nn_fail("hidden layers: %d (at most %d)", s->n_hidden, NN_MAX_HIDDEN);
    for (int k = 0; k < s->n_hidden; k++)
        if (s->hidden[k] <= 0) return nn_fail("hidden layer %d has width %d; widths must be positive", k + 1, s->hidden[k]);
    for (int h = 0; h < s->n_heads; h++)
        if (s->head_at[h] < 1 || s->head_at[h] > s->n_hidden)
            return nn_fail("a head is attached to hidden layer %d, but the net has hidden layers 1..%d", s->head_at[h],
                           s->n_hidden);
    /* batch norm with max_batch 1 builds: evaluation uses the running statistics; training refuses
     * mini-batches of one sample (nn_train), with the message the program passes on */
    *l = (nn_layer_list){.n_input = s->n_input};
    int block_out[NN_MAX_HIDDEN], last_residual = 0;
    for (int k = 0; k < s->n_hidden; k++) {
        const int block_in = k > 0 ? block_out[k - 1] : -1;
        char tag[24];
        snprintf(tag, sizeof tag, "hidden%d", k + 1);
        last_residual = s->residual && k > 0 && s->hidden[k - 1] == s->hidden[k];
        if (last_residual) {
            /* a pre-activation residual block (He et al. 2016, "identity mappings"):
             * h_k = h_{k−1} + W·act(BN(h_{k−1})), a clean identity path from block to block */
            bn_act_dropout(l, s, k, tag);
            dense(l, s, tag, s->hidden[k], 1);
            item(l, NN_L_ADD, tag, "add")->from = block_in;
        } else {
            dense(l, s, tag, s->hidden[k], !s->batchnorm);
            bn_act_dropout(l, s, k, tag);
        }
        block_out[k] = l->n - 1;
    }
    if (last_residual) { /* pre-activation nets end with the normalization and activation their last block skipped */
        if (s->batchnorm) bn(l, s, "final");
        act(l, "final", s->act[s->n_hidden - 1]);
    }
    output(l, s, "out", 1.0);
    for (int h = 0; h < s->n_heads; h++) {
        const int at = s->head_at[h];
        nn_layer_list_push(l, NN_ITEM_HEAD, NULL)->from = block_out[at - 1];
        char head[24];
        snprintf(head, sizeof head, "head%d", at);
        output(l, s, head, s->head_alpha);
    }
    return 0;
}

nn_net *nn_mlp_build(const nn_mlp_spec *s, int max_batch, uint64_t seed)
{
    nn_layer_list l = {0};
    nn_net *net = nn_mlp_layers(s, &l) ? NULL : nn_net_build(&l, max_batch, seed, NULL);
    nn_layer_list_free(&l);
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
