/* nn_net.h — a network: an ordered list of layers, each a "function node" of the
 * lecture notes (seed 001): it computes its output from its input(s) in forward, and
 * in backward turns ∂L/∂output into ∂L/∂input and ∂L/∂parameters with its local
 * gradients. Layer i reads node `in` (and `in2` for an addition); node −1 is the
 * network input, node i ≥ 0 is layer i's output. Layers come in an order where every
 * input precedes its consumer, so forward runs the list front to back and backward
 * back to front.
 *
 * Gradients are ADDED into ∂L/∂(node) buffers, so a node may feed several consumers:
 * a residual addition, an auxiliary head beside the trunk. nn_net_loss zeroes every
 * node gradient before seeding the outputs; nn_net_zero_grad zeroes the parameter
 * gradients (call it once per step, before backward) without a pass over them: it marks them
 * stale, and the next nn_net_backward writes each parameter gradient instead of adding to it
 * (a dense layer's ∂W product with β = 0, the sums for ∂b started at 0; a convolution or batch
 * norm clears its own few first) — the same numbers, one pass over the slab fewer per step. Code
 * that reads the gradients with no backward after a zero_grad calls nn_net_settle_grads first
 * (the optimizer does).
 *
 * Memory: every parameter lives in one slab `params` with named views (tensors);
 * `grads` mirrors it, so zeroing, the optimizer step and norms are plain loops. All
 * buffers a training step needs are allocated by nn_net_finalize; forward, loss and
 * backward allocate nothing.
 *
 * Several outputs: output 0 is the main one; further outputs are auxiliary heads
 * (deep supervision). The total objective is Σ_j weight_j · C_j with weight_0 = 1,
 * i.e. L + Σ_j α_j l_j; set outputs[j].weight to change α_j during training.
 */
#ifndef NN_NET_H
#define NN_NET_H

#include "nn_act.h"
#include "nn_common.h"
#include "nn_init.h"
#include "nn_loss.h"
#include "nn_rng.h"
#include "nn_conv.h"

#define NN_MAX_OUTPUTS 16
#define NN_MAX_HIDDEN 64

typedef enum {
    NN_TRAIN,           /* batch statistics (updating running averages), dropout on */
    NN_EVAL,            /* running averages, dropout off */
    NN_EVAL_BATCHSTATS  /* batch statistics without updating running averages, dropout off */
} nn_mode;

typedef enum {
    NN_L_DENSE,
    NN_L_ACT,
    NN_L_BATCHNORM,
    NN_L_DROPOUT,
    NN_L_ADD,
    NN_L_CONV,
    NN_L_MAXPOOL,
    NN_L_NOISE,
    NN_L_CONCAT,
    NN_L_MAXOUT,
    NN_L_AVGPOOL,
    NN_L_KIND_COUNT
} nn_layer_kind;

typedef struct nn_layer {
    nn_layer_kind kind;
    char name[40];
    int in, in2;        /* input node(s); −1 = network input; in2 only for NN_L_ADD and NN_L_CONCAT */
    int n_in, n;        /* input and output width */
    int c, h, w;        /* output shape per sample, c·h·w = n (1 × 1 images for dense layers) */
    int head;           /* −1 for the trunk, else the output index of the head it belongs to */
    /* dense */
    int has_bias;
    nn_init w_init, b_init;
    nn_real *W, *b, *dW, *db;           /* W (n, n_in), b (n) */
    /* activation */
    nn_act act;
    int fused;          /* output activation fused with its loss: backward starts below it */
    /* batch norm */
    double bn_eps, bn_momentum;
    int bn_affine;          /* 1: γ, β learned (default); 0: held at 1, 0 (their gradients are zeroed) */
    int bn_through_stats;   /* 1: backward goes through μ and σ² (default); 0: treats them as constants,
                             * ∂ℓ/∂x = γ ∂ℓ/∂y /√(σ² + ε) — normalizing "outside" the gradient (seed 003) */
    nn_real *gamma, *beta, *dgamma, *dbeta;
    nn_real *run_mean, *run_var, *mu, *var, *inv_std, *xhat;
    /* dropout: p_drop = probability of dropping a unit; kept units are scaled by 1/(1 − p) */
    double p_drop;
    nn_real *mask;      /* (B, n): 0 or 1/(1 − p); noise: (max_batch, n) scales a, then (max_batch, n) shifts c */
    /* noise (Santurkar et al.'s "noisy batch norm": each activation of each sample perturbed by i.i.d.
     * noise of non-zero mean and non-unit variance whose distribution changes every step): in training,
     * y = a·x + c per sample and unit, a = exp(noise_scale_sd · ξ), c = μ_j + noise_shift_sd · ξ′
     * (ξ, ξ′ ~ N(0, 1)), with each unit's mean μ_j ~ U(−noise_mean_range, noise_mean_range) drawn afresh
     * every forward; in evaluation the expected transform E[a]·x + E[c] = exp(noise_scale_sd²/2)·x */
    double noise_scale_sd, noise_mean_range, noise_shift_sd;
    /* convolution (W (co, ci·k·k), b (co), col: the mini-batch lowered by im2col) and max pooling
     * (arg (max_batch, n): each output's argmax in its sample); average pooling uses `pool` too */
    nn_conv_shape conv;
    nn_pool_shape pool;
    nn_real *col;       /* conv: every sample lowered by im2col (nn_conv_work_size) */
    int *arg;           /* max pooling, and max-out: each output's argmax */
    int pieces;         /* max-out: inputs per output unit (Goodfellow et al. 2013) */
    /* every layer */
    nn_real *out, *dout; /* (max_batch, n) */
} nn_layer;

typedef struct nn_tensor {
    char name[48];      /* e.g. "hidden1.dense.W" */
    int layer;
    size_t offset, size;
    int decay;          /* 1 for weights (L2 applies), 0 for biases, γ, β */
} nn_tensor;

typedef struct nn_output {
    int node;           /* an activation layer */
    nn_loss loss;
    double weight;      /* 1 for the main output, α_j for a head */
    double last_loss;   /* C_j of the last nn_net_loss */
} nn_output;

typedef struct nn_net {
    int n_input;
    int in_c, in_h, in_w;       /* the input's shape per sample (n_input × 1 × 1 unless set) */
    nn_layer *layers;
    int n_layers, cap_layers;
    int cur;                    /* builder: the node the next layer reads */
    int cur_head;               /* builder: −1, or the head being built */
    nn_output outputs[NN_MAX_OUTPUTS];
    int n_outputs;
    /* after nn_net_finalize */
    int finalized, max_batch;
    nn_real *params, *grads;
    size_t n_params;
    int grads_stale;            /* 1: `grads` reads as zero (nn_net_zero_grad; see the top) */
    nn_tensor *tensors;
    int n_tensors;
    nn_real *Y;                 /* targets (max_batch, n_out) for nn_net_set_labels */
    double *scratch;            /* (3 · widest layer) for batch-norm backward */
    nn_rng rng_dropout;
    int freeze_dropout;         /* 1: dropout reuses its last mask (gradient checks) */
    const nn_real *input;       /* the last forward's input (B, n_input) */
    int B;                      /* rows of the last forward */
    nn_mode mode;               /* mode of the last forward */
} nn_net;

/* ---- building --------------------------------------------------------------------
 * Each call appends one layer reading the current node and returns the new node's
 * index; nn_net_from() moves the current node (to start a head). Widths are checked
 * here; mistakes abort with file:line (they are programming errors). */
nn_net *nn_net_new(int n_input);
/* Declare the input's per-sample shape (c · h · w = n_input), before any layer: images for conv. */
void nn_net_input_shape(nn_net *net, int c, int h, int w);
int nn_net_dense(nn_net *net, int n_out, int bias, nn_init w_init, nn_init b_init);
/* A 2-D convolution of the current node (its shape c × h × w) to `channels` maps, k × k
 * kernel, stride, zero padding (nn_conv.h); weight fan-in c·k·k. Returns −1 with a message
 * when the kernel does not fit. A dense layer after conv or pool reads the maps flattened
 * (channel-major, the same memory): no flatten layer is needed. */
int nn_net_conv(nn_net *net, int channels, int k, int stride, int pad, nn_init w_init, nn_init b_init);
/* Max pooling of the current node with a q × q window and a stride (−1 with a message if it does not fit). */
int nn_net_maxpool(nn_net *net, int q, int stride);
/* Average pooling, the same windows: each output the mean of its window (−1 with a message if it does not fit). */
int nn_net_avgpool(nn_net *net, int q, int stride);
int nn_net_act(nn_net *net, nn_act f);
int nn_net_batchnorm(nn_net *net, double eps, double momentum);
/* Variants of a batch-norm layer for the lessons that take it apart (both 1 by default):
 * affine 0 holds γ = 1, β = 0; through_stats 0 treats μ and σ² as constants in backward. */
void nn_net_bn_variant(nn_net *net, int layer, int affine, int through_stats);
int nn_net_dropout(nn_net *net, double p_drop);
/* Random scale and shift of every activation of every sample in training, their expectation in
 * evaluation (see nn_layer's noise fields); the draw is frozen with freeze_dropout. */
int nn_net_noise(nn_net *net, double scale_sd, double mean_range, double shift_sd);
int nn_net_add(nn_net *net, int skip_node); /* current + node(skip), equal widths */
/* Max-out (Goodfellow et al. 2013): output unit j is the largest of inputs j·k … j·k + k − 1; the
 * gradient goes to that input (the first, on a tie). The current node's width must divide by k. */
int nn_net_maxout(nn_net *net, int pieces);
/* [current, node(skip)] per sample: a concatenation skip (seed 003), width of both together */
int nn_net_concat(nn_net *net, int skip_node);
void nn_net_from(nn_net *net, int node);
/* Rename a layer (before finalize; its tensors are named "<layer name>.W", ".b", …). The
 * default is the kind and the layer's index, e.g. "conv0", "dense4". */
void nn_net_name_layer(nn_net *net, int layer, const char *name);
/* Mark the current node (an activation layer) as an output with this loss and weight.
 * The first call is the main output (weight 1); later calls are auxiliary heads. A
 * logloss needs a sigmoid and softmax_ce a softmax output (fused, see nn_loss.h).
 * Returns the output index, or −1 with a message for an invalid pairing. */
int nn_net_output(nn_net *net, nn_loss loss, double weight);
/* Start a head at `node`: the layers added until nn_net_output belong to it. */
void nn_net_begin_head(nn_net *net, int node);
/* Allocate every buffer for mini-batches of up to max_batch rows and initialize the
 * parameters from `seed`. Returns 0, or −1 with a message (nn_error) when the network would
 * need more memory than this process may use; the net is then to be freed. */
__attribute__((warn_unused_result)) int nn_net_finalize(nn_net *net, int max_batch, uint64_t seed);
/* Re-draw all parameters (and reset batch-norm running averages, the dropout stream). */
void nn_net_reinit(nn_net *net, uint64_t seed);
void nn_net_free(nn_net *net);

int nn_net_n_out(const nn_net *net);               /* width of the main output */
const nn_real *nn_net_node_out(const nn_net *net, int node);
nn_real *nn_net_node_dout(const nn_net *net, int node);
const nn_real *nn_net_output_values(const nn_net *net); /* main output (B, n_out) */

/* ---- running ------------------------------------------------------------------- */
void nn_net_forward(nn_net *net, const nn_real *X, int B, nn_mode mode);
/* Targets from labels: one-hot rows when the output is wider than 1, else the label
 * itself (0 or 1) for a single sigmoid unit. Writes net->Y. */
void nn_net_set_labels(nn_net *net, const int *y, int B);
/* Total objective Σ_j weight_j C_j of the last forward against targets Y (B, n_out);
 * with grad != 0, zeroes the node gradients and seeds them for backward. */
double nn_net_loss(nn_net *net, const nn_real *Y, int grad);
void nn_net_zero_grad(nn_net *net);
/* Clear the gradients now if a zero_grad is pending (no backward since). */
void nn_net_settle_grads(nn_net *net);
void nn_net_backward(nn_net *net);

/* ---- parameters ---------------------------------------------------------------- */
/* L2 weight decay as a penalty (λ/2) Σ w² over weights only (not biases, γ, β). */
double nn_net_l2_penalty(const nn_net *net, double lambda);
void nn_net_add_l2_grad(nn_net *net, double lambda); /* ∂/∂w (λ/2)‖w‖² = λ w */
const nn_tensor *nn_net_tensor(const nn_net *net, const char *name); /* NULL if none */
/* Copy every parameter tensor of src into the tensor of dst with the same name and size,
 * except those whose name starts with `skip_prefix` (NULL: none). Returns how many tensors
 * were copied (transfer, greedy pre-training, hints). */
int nn_net_copy_params(nn_net *dst, const nn_net *src, const char *skip_prefix);
int nn_net_params_finite(const nn_net *net);

/* ---- the multilayer perceptron every experiment builds -------------------------
 * Hidden block k: dense (no bias when followed by batch norm: β takes its place)
 *   → [batch norm] → activation → [dropout]; then the output dense → out_act with the loss.
 * With `residual`, every block after the first whose width equals its input's is a
 * pre-activation residual block (He et al. 2016): h_k = h_{k−1} + dense(act([BN](h_{k−1}))),
 * [dropout] after the activation; the identity path runs from block to block untouched,
 * and the last block is followed by [BN] → activation before the output layer.
 * A head on hidden block k: dense(n_output) → out_act with the same loss, weight α. */
typedef struct nn_mlp_spec {
    int n_input, n_output;
    int n_hidden;
    int hidden[NN_MAX_HIDDEN];
    nn_act act[NN_MAX_HIDDEN];  /* per hidden layer */
    nn_act out_act;
    nn_loss loss;
    nn_init w_init, b_init;
    int batchnorm;
    double bn_eps, bn_momentum;
    double dropout;             /* on hidden layers */
    int residual;
    int n_heads;
    int head_at[NN_MAX_OUTPUTS]; /* hidden block indices, 1-based as in the notes */
    double head_alpha;
} nn_mlp_spec;

/* Returns NULL with a message for an inconsistent spec. */
nn_net *nn_mlp_build(const nn_mlp_spec *spec, int max_batch, uint64_t seed);

/* Where an MLP's hidden blocks are, read back from the layer names nn_mlp_build gives
 * ("hidden3.dense", "hidden3.relu", …, "out.dense"), for statistics and probes: per hidden
 * block k (0-based) its dense layer, its activation layer and its last layer (the block's
 * output: the activation, dropout or the residual addition). */
typedef struct nn_mlp_layout {
    int n_hidden;
    int dense[NN_MAX_HIDDEN], act[NN_MAX_HIDDEN], out[NN_MAX_HIDDEN];
    int out_dense;
} nn_mlp_layout;
void nn_mlp_layout_of(const nn_net *net, nn_mlp_layout *lo);

#endif
