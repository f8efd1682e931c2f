/* fuzz_config.c — libFuzzer target: the settings parser (JSON config text, then the same
 * text as KEY=VALUE flags) on the full table every experiment uses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nnlab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_exp_common common = {.seeds = 1};
    nn_netcfg net;
    nn_netcfg_defaults(&net);
    nn_cfg_field f[64];
    int n = nn_exp_common_fields(&common, f);
    n += nn_netcfg_fields(&net, f + n);
    f[n] = (nn_cfg_field){0};
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    if (root) {
        nn_cfg_apply_json(f, root, "fuzz", NULL);
        cJSON_Delete(root);
    }
    /* as flags: up to the first '=' is the key, the rest the value */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *eq = strchr(text, '=');
    if (eq) {
        *eq = '\0';
        nn_cfg_set_text(f, text, eq + 1, "fuzz");
    }
    free(text);
    /* whatever was accepted must form a printable config and, if consistent, a net spec */
    cJSON *out = nn_cfg_to_json(f);
    char *s = cJSON_PrintUnformatted(out);
    if (!s) abort();
    cJSON_free(s);
    cJSON_Delete(out);
    nn_mlp_spec spec;
    if (nn_netcfg_spec(&net, 784, 10, &spec) == 0 && spec.n_hidden > NN_MAX_HIDDEN) abort();
    return 0;
}
