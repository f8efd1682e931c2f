/* nn_init.c — initialization schemes (table in nn_init.h). */
#include "nn_init.h"

#include <math.h>
#include <string.h>

const char *const nn_init_names[] = {"zero",          "const",          "normal",
                                     "uniform",       "normal_fanin",   "uniform_fanin",
                                     "glorot_normal", "glorot_uniform", "he_normal",
                                     NULL};

const char *nn_init_name(nn_init_kind k)
{
    NN_ASSERT(k >= 0 && k < NN_INIT_COUNT, "init %d", (int)k);
    return nn_init_names[k];
}

int nn_init_parse(const char *name, nn_init_kind *out)
{
    for (int i = 0; nn_init_names[i]; i++)
        if (strcmp(name, nn_init_names[i]) == 0) {
            *out = (nn_init_kind)i;
            return 0;
        }
    return nn_fail("unknown init scheme '%s' (expected zero, const, normal, uniform, normal_fanin, "
                   "uniform_fanin, glorot_normal, glorot_uniform or he_normal)", name);
}

/* Uniform schemes: the half-width r; U(-r, r) has std r/√3. */
static double uniform_range(nn_init init, int n_in, int n_out)
{
    switch (init.kind) {
    case NN_INIT_UNIFORM: return init.scale;
    case NN_INIT_UNIFORM_FANIN: return init.scale / sqrt((double)n_in);
    case NN_INIT_GLOROT_UNIFORM: return init.scale * sqrt(6.0 / (n_in + n_out));
    default: return 0;
    }
}

double nn_init_std(nn_init init, int n_in, int n_out)
{
    switch (init.kind) {
    case NN_INIT_ZERO:
    case NN_INIT_CONST: return 0;
    case NN_INIT_NORMAL: return init.scale;
    case NN_INIT_NORMAL_FANIN: return init.scale / sqrt((double)n_in);
    case NN_INIT_GLOROT_NORMAL: return init.scale * sqrt(2.0 / (n_in + n_out));
    case NN_INIT_HE_NORMAL: return init.scale * sqrt(2.0 / n_in);
    case NN_INIT_UNIFORM:
    case NN_INIT_UNIFORM_FANIN:
    case NN_INIT_GLOROT_UNIFORM: return uniform_range(init, n_in, n_out) / sqrt(3.0);
    default: NN_ASSERT(0, "init %d", (int)init.kind);
    }
}

void nn_init_fill(nn_real *w, size_t count, nn_init init, int n_in, int n_out, nn_rng *rng)
{
    NN_ASSERT(n_in > 0 && n_out > 0, "fans %d, %d", n_in, n_out);
    switch (init.kind) {
    case NN_INIT_ZERO:
        for (size_t i = 0; i < count; i++) w[i] = 0;
        break;
    case NN_INIT_CONST:
        for (size_t i = 0; i < count; i++) w[i] = (nn_real)init.scale;
        break;
    case NN_INIT_NORMAL:
    case NN_INIT_NORMAL_FANIN:
    case NN_INIT_GLOROT_NORMAL:
    case NN_INIT_HE_NORMAL: {
        double sd = nn_init_std(init, n_in, n_out);
        for (size_t i = 0; i < count; i++) w[i] = (nn_real)(sd * nn_rng_gauss(rng));
        break;
    }
    case NN_INIT_UNIFORM:
    case NN_INIT_UNIFORM_FANIN:
    case NN_INIT_GLOROT_UNIFORM: {
        double r = uniform_range(init, n_in, n_out);
        for (size_t i = 0; i < count; i++) w[i] = (nn_real)nn_rng_uniform_in(rng, -r, r);
        break;
    }
    default: NN_ASSERT(0, "init %d", (int)init.kind);
    }
}
