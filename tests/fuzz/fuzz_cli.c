/* fuzz_cli.c — libFuzzer target: a program's whole start-up path, flags and config file together.
 *
 * The input is a config file's text, a NUL byte, then the command line (one argument per line).
 * The target writes the text to a file, runs the experiment frame's start (nn_exp_start: the
 * command line, --config, --quick/--full, the default config with its profiles and arms, the
 * results document's header) exactly as a program does, and then checks what a program relies
 * on: an accepted start has every number inside its declared range, at least one seed, arms
 * that resolve, and a network spec that is either refused with a message or within the
 * library's limits. The default config (every key, a quick profile and two arms) lies in a
 * scratch folder that is the working directory, as experiments/fuzzcli.json. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nnlab.h"

typedef struct {
    nn_exp_common common; /* first, as the frame requires */
    nn_netcfg net;
} settings;

static int fields(void *p, nn_cfg_field *f, nn_cfg_refusal *r, int *n_r)
{
    settings *s = p;
    (void)r;
    *n_r = 0;
    int n = nn_exp_common_fields(&s->common, f);
    return n + nn_netcfg_fields(&s->net, f + n);
}

static char cfg_path[600], scratch[512];

static void remove_scratch(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0) fprintf(stderr, "fuzz_cli: could not remove %s\n", scratch);
}
static const nn_exp_def def = {"fuzzcli", "the fuzz target's program", NULL, sizeof(settings), fields};

/* experiments/fuzzcli.json in a scratch folder: the defaults of every key, a quick profile, two arms */
static void init(void)
{
    static int done;
    if (done) return;
    done = 1;
    snprintf(scratch, sizeof scratch, "/tmp/nnlab-fuzzcli-%d", (int)getpid());
    char cmd[700];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/experiments", scratch);
    if (system(cmd) != 0 || chdir(scratch) != 0) abort();
    atexit(remove_scratch);
    settings s = {.common = {.data = "spirals", .seed = 1, .seeds = 2, .n_train = 0, .n_test = 0}};
    nn_netcfg_defaults(&s.net);
    nn_cfg_field f[NN_EXP_MAX_FIELDS + 1];
    nn_cfg_refusal r[1];
    int n_r, n = fields(&s, f, r, &n_r);
    f[n] = (nn_cfg_field){0};
    cJSON *doc = nn_cfg_to_json(f);
    cJSON_AddItemToObject(doc, "quick", cJSON_Parse("{\"epochs\": 1, \"seeds\": 1}"));
    cJSON_AddItemToObject(
        doc, "arms", cJSON_Parse("{\"fast\": {\"lr\": 0.5}, \"relu\": {\"activation\": \"relu\", \"init\": \"he_normal\"}}"));
    char *t = cJSON_Print(doc);
    if (nn_write_file_atomic("experiments/fuzzcli.json", t, strlen(t)) != 0) abort();
    cJSON_free(t);
    cJSON_Delete(doc);
    snprintf(cfg_path, sizeof cfg_path, "%s/user.json", scratch);
    if (!freopen("/dev/null", "w", stdout)) abort(); /* --help and --settings-json print there */
}

static void check_ranges(const nn_cfg_field *f)
{
    for (; f->key; f++) {
        int n = f->len ? *f->len : 1;
        if (f->len && (n < f->min_len || n > f->max_len)) abort();
        for (int i = 0; i < n; i++) {
            double v;
            if (f->type == NN_CFG_INT || f->type == NN_CFG_INT_LIST) v = ((int *)f->ptr)[i];
            else if (f->type == NN_CFG_REAL || f->type == NN_CFG_REAL_LIST) v = ((double *)f->ptr)[i];
            else continue;
            if (!(v >= f->min && v <= f->max)) abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init();
    const uint8_t *nul = memchr(data, 0, size);
    size_t clen = nul ? (size_t)(nul - data) : 0;
    if (nn_write_file_atomic(cfg_path, data, clen) != 0) abort();
    /* the command line: one argument per line after the NUL; "@CFG" stands for the config file */
    size_t alen = nul ? size - clen - 1 : size;
    char *text = malloc(alen + 1);
    memcpy(text, nul ? nul + 1 : data, alen);
    text[alen] = '\0';
    char *argv[66] = {"fuzzcli"};
    int argc = 1;
    for (char *tok = text, *end; tok && argc < 64; tok = end ? end + 1 : NULL) {
        end = strchr(tok, '\n');
        if (end) *end = '\0';
        argv[argc++] = strcmp(tok, "@CFG") ? tok : cfg_path;
    }
    argv[argc] = NULL;
    settings s;
    memset(&s, 0, sizeof s);
    nn_exp e;
    int rc = nn_exp_start(&e, &def, &s, argc, argv);
    if (rc == -1) {
        /* accepted: what every program then relies on */
        check_ranges(e.fields);
        if (e.S < 1 || !e.doc || !cJSON_GetObjectItem(e.doc, "config")) abort();
        for (int a = 0; a < e.n_arms; a++) {
            settings *as = e.arm_set[a];
            nn_mlp_spec spec;
            if (nn_netcfg_spec(&as->net, 784, 10, &spec) == 0 && spec.n_hidden > NN_MAX_HIDDEN) abort();
        }
        nn_mlp_spec spec;
        if (nn_netcfg_spec(&s.net, 784, 10, &spec) == 0 && spec.n_hidden > NN_MAX_HIDDEN) abort();
        nn_exp_abort(&e);
    } else if (rc != 0 && rc != 2) {
        abort();
    }
    free(text);
    return 0;
}
