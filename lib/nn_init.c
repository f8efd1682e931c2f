/* nn_init.c — initialization schemes (table in nn_init.h). */
#include "nn_init.h"

#include <math.h>
#include <string.h>

#define NAME_(E, name, dist, spread) #name,
const char *const nn_init_names[] = {NN_INIT_SCHEMES(NAME_) NULL};
#undef NAME_

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
    char list[512] = "";
    for (int i = 0; nn_init_names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", nn_init_names[i]);
    return nn_fail("unknown init scheme '%s' (expected one of: %s)", name, list);
}

enum { CONST, NORMAL, UNIFORM };

/* the scheme's distribution and spread (σ, r or the value) for these fans */
static int scheme(nn_init init, int n_in, int n_out, double *spread)
{
    const double s = init.scale, fi = n_in, fo = n_out;
    (void)s, (void)fi, (void)fo;
    switch (init.kind) {
#define CASE_(E, name, dist, sp) \
    case NN_INIT_##E: *spread = (sp); return dist;
        NN_INIT_SCHEMES(CASE_)
#undef CASE_
    default: NN_ASSERT(0, "init %d", (int)init.kind);
    }
}

double nn_init_std(nn_init init, int n_in, int n_out)
{
    double sp;
    int d = scheme(init, n_in, n_out, &sp);
    return d == NORMAL ? sp : d == UNIFORM ? sp / sqrt(3.0) : 0; /* U(−r, r) has std r/√3 */
}

void nn_init_fill(nn_real *w, size_t count, nn_init init, int n_in, int n_out, nn_rng *rng)
{
    NN_ASSERT(n_in > 0 && n_out > 0, "fans %d, %d", n_in, n_out);
    double sp;
    switch (scheme(init, n_in, n_out, &sp)) {
    case CONST:
        for (size_t i = 0; i < count; i++) w[i] = (nn_real)sp;
        break;
    case NORMAL:
        for (size_t i = 0; i < count; i++) w[i] = (nn_real)(sp * nn_rng_gauss(rng));
        break;
    default:
        for (size_t i = 0; i < count; i++) w[i] = (nn_real)nn_rng_uniform_in(rng, -sp, sp);
        break;
    }
}
