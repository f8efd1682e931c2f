/* nn_cli.c — typed settings from JSON and flags (see nn_cli.h). */
#include "nn_cli.h"
#include "nn_dense.h"
#include "nn_io.h"
#include "nn_results.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* ---- values ------------------------------------------------------------------------ */

static const char *type_name(nn_cfg_type t)
{
    switch (t) {
    case NN_CFG_INT: return "an integer";
    case NN_CFG_REAL: return "a number";
    case NN_CFG_BOOL: return "true or false";
    case NN_CFG_STR: return "a string";
    case NN_CFG_INT_LIST: return "a list of integers";
    case NN_CFG_REAL_LIST: return "a list of numbers";
    case NN_CFG_STR_LIST: return "a list of strings";
    case NN_CFG_JSON: return "a JSON list or object";
    }
    return "?";
}

/* The NN_CFG_JSON values set so far: freed together by nn_cli_free. */
static cJSON **json_pool;
static int json_pool_n, json_pool_cap;

static void set_json_value(const nn_cfg_field *f, cJSON *v)
{
    if (json_pool_n == json_pool_cap) {
        json_pool_cap = json_pool_cap ? 2 * json_pool_cap : 8;
        cJSON **grown = nn_calloc((size_t)json_pool_cap, sizeof *grown);
        if (json_pool_n) memcpy(grown, json_pool, (size_t)json_pool_n * sizeof *grown);
        free(json_pool);
        json_pool = grown;
    }
    json_pool[json_pool_n++] = v;
    *(const cJSON **)f->ptr = v;
}

static int is_list(nn_cfg_type t) { return t == NN_CFG_INT_LIST || t == NN_CFG_REAL_LIST || t == NN_CFG_STR_LIST; }

static nn_cfg_type elem_type(nn_cfg_type t)
{
    return t == NN_CFG_INT_LIST ? NN_CFG_INT : t == NN_CFG_REAL_LIST ? NN_CFG_REAL : t == NN_CFG_STR_LIST ? NN_CFG_STR : t;
}

static int check_number(const nn_cfg_field *f, double v, int integral, const char *where)
{
    if (!isfinite(v)) return nn_fail("%s: '%s' must be a finite number", where, f->key);
    if (integral && v != floor(v)) return nn_fail("%s: '%s' must be an integer, got %g", where, f->key, v);
    if (v < f->min || v > f->max)
        return nn_fail("%s: '%s' = %.15g is out of range [%.15g, %.15g]", where, f->key, v, f->min, f->max);
    return 0;
}

static int check_choice(const nn_cfg_field *f, const char *s, const char *where)
{
    if (strlen(s) >= NN_STR) return nn_fail("%s: '%s' value is too long (at most %d characters)", where, f->key, NN_STR - 1);
    if (!f->choices) return 0;
    for (int i = 0; f->choices[i]; i++)
        if (strcmp(f->choices[i], s) == 0) return 0;
    char list[512] = "";
    for (int i = 0; f->choices[i]; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, f->choices[i], sizeof list - strlen(list) - 1);
    }
    return nn_fail("%s: '%s' = '%s' is not one of: %s", where, f->key, s, list);
}

/* Store element i (i = 0 for scalars) from a double or a string. */
static void store_num(const nn_cfg_field *f, int i, double v)
{
    switch (elem_type(f->type)) {
    case NN_CFG_INT: ((int *)f->ptr)[i] = (int)v; break;
    case NN_CFG_BOOL: *(int *)f->ptr = v != 0; break;
    default: ((double *)f->ptr)[i] = v; break;
    }
}

static void store_str(const nn_cfg_field *f, int i, const char *s)
{
    char (*arr)[NN_STR] = f->ptr;
    size_t n = strlen(s); /* checked < NN_STR by check_choice */
    if (n >= NN_STR) n = NN_STR - 1;
    memcpy(arr[i], s, n);
    arr[i][n] = '\0';
}

static int check_len(const nn_cfg_field *f, int n, const char *where)
{
    if (n < f->min_len || n > f->max_len)
        return nn_fail("%s: '%s' must have %d to %d elements, got %d", where, f->key, f->min_len, f->max_len, n);
    return 0;
}

static int set_json_elem(const nn_cfg_field *f, int i, const cJSON *v, const char *where)
{
    nn_cfg_type t = elem_type(f->type);
    if (t == NN_CFG_STR) {
        if (!cJSON_IsString(v)) return nn_fail("%s: '%s' must be %s", where, f->key, type_name(f->type));
        if (check_choice(f, v->valuestring, where)) return -1;
        store_str(f, i, v->valuestring);
        return 0;
    }
    if (t == NN_CFG_BOOL) {
        if (!cJSON_IsBool(v)) return nn_fail("%s: '%s' must be true or false", where, f->key);
        store_num(f, i, cJSON_IsTrue(v));
        return 0;
    }
    if (!cJSON_IsNumber(v)) return nn_fail("%s: '%s' must be %s", where, f->key, type_name(f->type));
    if (check_number(f, v->valuedouble, t == NN_CFG_INT, where)) return -1;
    store_num(f, i, v->valuedouble);
    return 0;
}

static int set_json(const nn_cfg_field *f, const cJSON *v, const char *where)
{
    if (f->type == NN_CFG_JSON) {
        if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) return nn_fail("%s: '%s' must be %s", where, f->key, type_name(f->type));
        set_json_value(f, cJSON_Duplicate(v, 1));
        return 0;
    }
    if (!is_list(f->type)) {
        if (cJSON_IsArray(v)) return nn_fail("%s: '%s' must be %s, not a list", where, f->key, type_name(f->type));
        return set_json_elem(f, 0, v, where);
    }
    if (!cJSON_IsArray(v)) { /* a single value is a one-element list */
        if (check_len(f, 1, where) || set_json_elem(f, 0, v, where)) return -1;
        *f->len = 1;
        return 0;
    }
    int n = cJSON_GetArraySize(v);
    if (check_len(f, n, where)) return -1;
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v) if (set_json_elem(f, i++, e, where)) return -1;
    *f->len = n;
    return 0;
}

const nn_cfg_field *nn_cfg_find(const nn_cfg_field *fields, const char *key)
{
    for (const nn_cfg_field *f = fields; f->key; f++)
        if (strcmp(f->key, key) == 0) return f;
    return NULL;
}

/* The refusals of the program being parsed (set by nn_cli_parse for its duration). */
static const nn_cfg_refusal *cur_refused;

static int unknown_key(const nn_cfg_field *fields, const char *key, const char *where, const char *what)
{
    for (const nn_cfg_refusal *r = cur_refused; r && r->key; r++)
        if (strcmp(r->key, key) == 0) return nn_fail("%s: '%s' is refused here: %s", where, key, r->why);
    char list[2048] = "";
    for (const nn_cfg_field *f = fields; f->key; f++) {
        strncat(list, f != fields ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, f->key, sizeof list - strlen(list) - 1);
    }
    return nn_fail("%s: unknown %s '%s' (known: %s)", where, what, key, list);
}

int nn_cfg_apply_json(const nn_cfg_field *fields, const cJSON *obj, const char *where, const char *const *skip)
{
    if (!cJSON_IsObject(obj)) return nn_fail("%s: expected a JSON object of settings", where);
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        int skipped = 0;
        for (int i = 0; skip && skip[i]; i++) skipped |= strcmp(skip[i], item->string) == 0;
        if (skipped) continue;
        const nn_cfg_field *f = nn_cfg_find(fields, item->string);
        if (!f) return unknown_key(fields, item->string, where, "key");
        if (set_json(f, item, where)) return -1;
    }
    return 0;
}

static int parse_num_text(const nn_cfg_field *f, const char *s, double *v, const char *where)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end != '\0') return nn_fail("%s: '%s' must be %s, got '%s'", where, f->key, type_name(f->type), s);
    return check_number(f, *v, elem_type(f->type) == NN_CFG_INT, where);
}

int nn_cfg_set_text(const nn_cfg_field *fields, const char *key, const char *value, const char *where)
{
    const nn_cfg_field *f = nn_cfg_find(fields, key);
    if (!f) return unknown_key(fields, key, where, "flag --");
    if (!value || !*value) return nn_fail("%s: --%s needs a value (%s)", where, key, type_name(f->type));
    nn_cfg_type t = elem_type(f->type);
    if (f->type == NN_CFG_JSON) { /* the whole value must be one JSON list or object */
        const char *end = NULL;
        cJSON *v = nn_json_nul(value, strlen(value)) ? NULL : cJSON_ParseWithOpts(value, &end, 1);
        if (!v) return nn_fail("%s: --%s must be JSON text (%s), e.g. '[{\"dense\": 100}]'", where, key, type_name(f->type));
        int rc = set_json(f, v, where);
        cJSON_Delete(v);
        return rc;
    }
    if (f->type == NN_CFG_BOOL) {
        int b;
        if (!strcmp(value, "true") || !strcmp(value, "1")) b = 1;
        else if (!strcmp(value, "false") || !strcmp(value, "0")) b = 0;
        else return nn_fail("%s: --%s must be true or false, got '%s'", where, key, value);
        *(int *)f->ptr = b;
        return 0;
    }
    if (!is_list(f->type)) {
        if (t == NN_CFG_STR) {
            if (check_choice(f, value, where)) return -1;
            store_str(f, 0, value);
            return 0;
        }
        double v;
        if (parse_num_text(f, value, &v, where)) return -1;
        store_num(f, 0, v);
        return 0;
    }
    /* comma-separated list: parse into a copy first so a bad element changes nothing */
    char buf[1024];
    if (strlen(value) >= sizeof buf) return nn_fail("%s: --%s value is too long", where, key);
    snprintf(buf, sizeof buf, "%s", value);
    int n = 1;
    for (const char *p = buf; *p; p++) n += *p == ',';
    if (check_len(f, n, where)) return -1;
    char *save = NULL, *tok = buf;
    for (int i = 0; i < n; i++) {
        char *comma = strchr(tok, ',');
        if (comma) *comma = '\0';
        save = comma ? comma + 1 : NULL;
        if (!*tok) return nn_fail("%s: --%s has an empty element in '%s'", where, key, value);
        if (t == NN_CFG_STR) {
            if (check_choice(f, tok, where)) return -1;
        } else {
            double v;
            if (parse_num_text(f, tok, &v, where)) return -1;
        }
        tok = save;
    }
    snprintf(buf, sizeof buf, "%s", value);
    tok = buf;
    for (int i = 0; i < n; i++) {
        char *comma = strchr(tok, ',');
        if (comma) *comma = '\0';
        if (t == NN_CFG_STR) store_str(f, i, tok);
        else store_num(f, i, strtod(tok, NULL));
        tok = comma ? comma + 1 : NULL;
    }
    *f->len = n;
    return 0;
}

static cJSON *field_json(const nn_cfg_field *f)
{
    switch (f->type) {
    case NN_CFG_INT: return cJSON_CreateNumber(*(int *)f->ptr);
    case NN_CFG_REAL: return cJSON_CreateNumber(*(double *)f->ptr);
    case NN_CFG_BOOL: return cJSON_CreateBool(*(int *)f->ptr);
    case NN_CFG_STR: return cJSON_CreateString((char *)f->ptr);
    case NN_CFG_INT_LIST: return cJSON_CreateIntArray((int *)f->ptr, *f->len);
    case NN_CFG_REAL_LIST: return cJSON_CreateDoubleArray((double *)f->ptr, *f->len);
    case NN_CFG_STR_LIST: {
        cJSON *a = cJSON_CreateArray();
        char (*arr)[NN_STR] = f->ptr;
        for (int i = 0; i < *f->len; i++) cJSON_AddItemToArray(a, cJSON_CreateString(arr[i]));
        return a;
    }
    case NN_CFG_JSON: {
        const cJSON *v = *(const cJSON **)f->ptr;
        return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
    }
    }
    return cJSON_CreateNull();
}

cJSON *nn_cfg_to_json(const nn_cfg_field *fields)
{
    cJSON *o = cJSON_CreateObject();
    for (const nn_cfg_field *f = fields; f->key; f++) cJSON_AddItemToObject(o, f->key, field_json(f));
    return o;
}

void nn_cfg_print(const nn_cfg_field *fields, FILE *out)
{
    for (const nn_cfg_field *f = fields; f->key; f++) {
        cJSON *v = field_json(f);
        char *s = cJSON_PrintUnformatted(v);
        fprintf(out, "  --%-16s %-22s %s", f->key, s ? s : "?", f->help ? f->help : "");
        if (f->choices) {
            fprintf(out, " [");
            for (int i = 0; f->choices[i]; i++) fprintf(out, "%s%s", i ? ", " : "", f->choices[i]);
            fprintf(out, "]");
        } else if (elem_type(f->type) == NN_CFG_INT || elem_type(f->type) == NN_CFG_REAL) {
            fprintf(out, " [%.10g to %.10g]", f->min, f->max);
        }
        fputc('\n', out);
        cJSON_free(s);
        cJSON_Delete(v);
    }
}

/* ---- the command line ------------------------------------------------------------- */

/* --settings-json: every setting with its type, range or choices and its value in the profile
 * chosen, and the arms' names, as one JSON document (the settings fuzzer reads it) */
static void print_settings_json(const nn_cli *cli, FILE *out)
{
    static const char *const type_name[] = {"int", "real", "bool", "string", "int_list", "real_list", "string_list", "json"};
    cJSON *doc = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(doc, "settings");
    cJSON_AddStringToObject(doc, "program", cli->prog);
    cJSON_AddStringToObject(doc, "profile", cli->profile);
    for (const nn_cfg_field *f = cli->fields; f->key; f++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "key", f->key);
        cJSON_AddStringToObject(s, "type", type_name[f->type]);
        if (elem_type(f->type) == NN_CFG_INT || elem_type(f->type) == NN_CFG_REAL) {
            cJSON_AddNumberToObject(s, "min", f->min);
            cJSON_AddNumberToObject(s, "max", f->max);
        }
        if (f->choices) {
            cJSON *c = cJSON_AddArrayToObject(s, "choices");
            for (int i = 0; f->choices[i]; i++) cJSON_AddItemToArray(c, cJSON_CreateString(f->choices[i]));
        }
        if (f->len) cJSON_AddNumberToObject(s, "min_len", f->min_len), cJSON_AddNumberToObject(s, "max_len", f->max_len);
        cJSON_AddItemToObject(s, "value", field_json(f));
        cJSON_AddItemToArray(list, s);
    }
    cJSON *arms = cJSON_AddArrayToObject(doc, "arms");
    const cJSON *a;
    if (cli->arms) cJSON_ArrayForEach(a, cli->arms) cJSON_AddItemToArray(arms, cJSON_CreateString(a->string));
    char *t = cJSON_Print(doc);
    fprintf(out, "%s\n", t);
    cJSON_free(t);
    cJSON_Delete(doc);
}

static void print_help(const nn_cli *cli, FILE *out)
{
    fprintf(out, "usage: %s [--config FILE] [--quick | --full] [--KEY VALUE ...] [--out FILE] [--threads N]\n", cli->prog);
    if (cli->summary) fprintf(out, "%s\n", cli->summary);
    fprintf(out,
            "\nshared flags:\n"
            "  --help                 this text, with the settings now in force\n"
            "  --settings-json        the settings now in force with their types and ranges, as JSON (for tools)\n"
            "  --config FILE          settings file (JSON object of the keys below) applied over the defaults%s%s\n"
            "  --quick | --full       the config's \"quick\" (seconds) or \"full\" (published) profile\n"
            "  --out FILE             results file (default %s)\n"
            "  --threads N            OpenBLAS threads (default 1)\n"
            "  --slice C:R            run only the cells of conditions C and seed indices R (each 'i', 'i-j' or '*',\n"
            "                         counted from 0) and write them, exactly, as a slice for --merge (no claims)\n"
            "  --merge DIR            run no cell: read every slice (*.json) in DIR, written with the same settings,\n"
            "                         and judge the whole grid as one run would\n"
            "  --KEY VALUE            any key below (or --KEY=VALUE; lists comma-separated, e.g. --hidden 30,30)\n",
            cli->default_config ? " in " : "", cli->default_config ? cli->default_config : "",
            cli->default_out ? cli->default_out : "none");
    if (cli->arms) {
        fprintf(out, "  --arms A,B             run only these arms (default: all); each arm is a set of overrides:\n");
        const cJSON *a;
        cJSON_ArrayForEach(a, cli->arms)
        {
            char *t = cJSON_PrintUnformatted(a);
            fprintf(out, "      %-18s %s\n", a->string, t ? t : "?");
            cJSON_free(t);
        }
    }
    fprintf(out, "\nsettings (profile: %s; defaults from %s):\n", cli->profile,
            cli->config_source[0] ? cli->config_source : "the program");
    nn_cfg_print(cli->fields, out);
}

typedef struct { const char *key, *value; } flag_kv;

static const char *const config_skip[] = {"quick", "full", "description", "arms", "claims", NULL};

/* Read a config file (at most 1 MiB) into *text; the message names the program. */
static int read_config(const char *prog, const char *path, char **text, size_t *len)
{
    if (nn_read_file(path, 1u << 20, text, len) == 0) return 0;
    char msg[1200];
    snprintf(msg, sizeof msg, "%s", nn_error());
    return nn_fail("%s: config: %s", prog, msg);
}

/* Parse one config text into *root (caller frees); `path` names it in messages. */
static int parse_config(const char *prog, const char *path, const char *text, size_t len, cJSON **root)
{
    const char *end = NULL, *nul = nn_json_nul(text, len);
    if (nul) {
        long line = 1;
        for (const char *p = text; p < nul; p++) line += *p == '\n';
        *root = NULL;
        return nn_fail("%s: config '%s' has a string holding \\u0000 (line %ld): a setting is never cut short", prog, path, line);
    }
    *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!*root) {
        const char *at = cJSON_GetErrorPtr();
        long line = 1;
        for (const char *p = text; at && p < at && p < text + len; p++) line += *p == '\n';
        return nn_fail("%s: config '%s' is not valid JSON (error near line %ld)", prog, path, line);
    }
    /* one JSON value and nothing after it but white space (not a second value, not a stray brace, not a NUL) */
    while (end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')) end++;
    if (end < text + len) {
        long line = 1;
        for (const char *p = text; p < end; p++) line += *p == '\n';
        return nn_fail("%s: config '%s' has something after its JSON object (line %ld): one object of settings only",
                       prog, path, line);
    }
    if (!cJSON_IsObject(*root)) return nn_fail("%s: config '%s' must be a JSON object of settings", prog, path);
    const char *prof_keys[] = {"quick", "full"};
    for (int k = 0; k < 2; k++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(*root, prof_keys[k]);
        if (o && !cJSON_IsObject(o)) return nn_fail("%s: '%s' must be an object of settings", path, prof_keys[k]);
        if (o && cJSON_GetObjectItemCaseSensitive(o, "arms"))
            return nn_fail("%s: the \"%s\" profile may not redefine 'arms'", path, prof_keys[k]);
        if (o && cJSON_GetObjectItemCaseSensitive(o, "claims"))
            return nn_fail("%s: the \"%s\" profile may not redefine 'claims'", path, prof_keys[k]);
    }
    const cJSON *arms = cJSON_GetObjectItemCaseSensitive(*root, "arms");
    if (arms) {
        if (!cJSON_IsObject(arms) || cJSON_GetArraySize(arms) == 0)
            return nn_fail("%s: 'arms' must be a non-empty object of named arms, each an object of setting overrides", path);
        const cJSON *a;
        cJSON_ArrayForEach(a, arms) if (!cJSON_IsObject(a)) return nn_fail("%s: arm '%s' must be an object of settings", path,
                                                                           a->string);
    }
    const cJSON *claims = cJSON_GetObjectItemCaseSensitive(*root, "claims");
    if (claims) {
        if (!cJSON_IsArray(claims)) return nn_fail("%s: 'claims' must be a list of claims, each an object (lab/nn_decl.h)", path);
        const cJSON *c;
        int i = 0;
        cJSON_ArrayForEach(c, claims)
        {
            if (!cJSON_IsObject(c)) return nn_fail("%s: claim %d of 'claims' must be an object (lab/nn_decl.h)", path, i + 1);
            i++;
        }
    }
    return 0;
}

static int apply_profile(const cJSON *root, const char *path, const char *prof, const nn_cfg_field *fields)
{
    const cJSON *p = prof && root ? cJSON_GetObjectItemCaseSensitive(root, prof) : NULL;
    if (!p) return 0;
    char where[1100];
    snprintf(where, sizeof where, "%s (\"%s\")", path, prof);
    return nn_cfg_apply_json(fields, p, where, NULL);
}

void nn_cli_free(nn_cli *cli)
{
    free(cli->out);
    cli->out = NULL;
    cJSON_Delete(cli->arms);
    cJSON_Delete(cli->claims);
    cli->claims = NULL;
    free(cli->slice), free(cli->merge);
    cli->slice = cli->merge = NULL;
    free(cli->arm_select);
    free(cli->flag_keys);
    for (int i = 0; i < json_pool_n; i++) cJSON_Delete(json_pool[i]);
    free(json_pool);
    json_pool = NULL, json_pool_n = json_pool_cap = 0;
    cli->arms = NULL, cli->arm_select = NULL, cli->flag_keys = NULL, cli->n_flag_keys = 0;
}

/* The programs' answer to an allocation the machine refused (the library leaves it to them):
 * the message, and exit 1 — a run that cannot hold its network has nothing to report. */
static void out_of_memory(const char *message)
{
    fflush(stdout);
    fprintf(stderr, "%s\n", message);
    exit(1);
}

int nn_cli_parse(nn_cli *cli, int argc, char **argv)
{
    nn_on_out_of_memory(out_of_memory);
    int help = 0;
    const char *config = NULL;
    const char *out = NULL;
    const char *arms = NULL;
    long threads = 1;
    flag_kv *kv = nn_calloc((size_t)argc + 1, sizeof *kv);
    int n_kv = 0, rc = -1;
    cJSON *base = NULL, *user = NULL;
    char *text = NULL, *utext = NULL;
    size_t text_len = 0, utext_len = 0;
    cli->quick = cli->full = 0;
    cli->arms = NULL, cli->claims = NULL, cli->arm_select = NULL, cli->flag_keys = NULL, cli->n_flag_keys = 0;
    cli->slice = cli->merge = NULL;
    cli->config_source[0] = '\0';
    cur_refused = cli->refused;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            nn_fail("%s: unexpected argument '%s' (flags start with --; see --help)", cli->prog, a);
            goto done;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        char key[128];
        size_t klen = eq ? (size_t)(eq - name) : strlen(name);
        if (klen >= sizeof key) {
            nn_fail("%s: flag '%s' is too long", cli->prog, a);
            goto done;
        }
        memcpy(key, name, klen);
        key[klen] = '\0';
        const char *value = eq ? eq + 1 : NULL;
        int is_switch = !strcmp(key, "help") || !strcmp(key, "quick") || !strcmp(key, "full") || !strcmp(key, "settings-json");
        if (is_switch) {
            if (value) {
                nn_fail("%s: --%s takes no value", cli->prog, key);
                goto done;
            }
            if (key[0] == 'h') help = 1;
            else if (key[0] == 's') help = 2;
            else if (key[0] == 'q') cli->quick = 1;
            else cli->full = 1;
            continue;
        }
        const nn_cfg_field *f = nn_cfg_find(cli->fields, key);
        if (!value) {
            if (f && f->type == NN_CFG_BOOL && (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0)) {
                value = "true";
            } else {
                /* the next word is this flag's value, unless it is another flag */
                if (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0) {
                    nn_fail("%s: flag --%s needs a value", cli->prog, key);
                    goto done;
                }
                value = argv[++i];
            }
        }
        if (!strcmp(key, "config")) config = value;
        else if (!strcmp(key, "out")) out = value;
        else if (!strcmp(key, "arms")) arms = value;
        else if (!strcmp(key, "slice") || !strcmp(key, "merge")) {
            char **dst = key[0] == 's' ? &cli->slice : &cli->merge;
            free(*dst);
            *dst = nn_strdup(value);
        }
        else if (!strcmp(key, "threads")) {
            char *end;
            errno = 0;
            threads = strtol(value, &end, 10);
            if (!*value || *end || errno || threads < 1 || threads > 256) {
                nn_fail("%s: --threads must be an integer from 1 to 256, got '%s'", cli->prog, value);
                goto done;
            }
        } else {
            if (!f) {
                unknown_key(cli->fields, key, cli->prog, "flag --");
                goto done;
            }
            kv[n_kv].key = f->key;
            kv[n_kv].value = value;
            n_kv++;
        }
    }
    if (cli->quick && cli->full) {
        nn_fail("%s: --quick and --full exclude each other", cli->prog);
        goto done;
    }
    snprintf(cli->profile, sizeof cli->profile, "%s", cli->quick ? "quick" : cli->full ? "full" : "default");
    const char *prof = cli->quick ? "quick" : cli->full ? "full" : NULL;

    /* 1. the defaults: the program's config file, or the copy built into the program */
    const char *base_path = NULL;
    if (cli->default_config && nn_file_exists(cli->default_config)) {
        base_path = cli->default_config;
        if (read_config(cli->prog, base_path, &text, &text_len)) goto done;
        snprintf(cli->config_source, sizeof cli->config_source, "%s", base_path);
    } else if (cli->builtin_config) {
        base_path = cli->default_config;
        text = nn_strdup(cli->builtin_config);
        text_len = strlen(text);
        snprintf(cli->config_source, sizeof cli->config_source, "the copy of %s built into the program", base_path);
    }
    if (base_path) {
        if (parse_config(cli->prog, base_path, text, text_len, &base)) goto done;
        if (nn_cfg_apply_json(cli->fields, base, base_path, config_skip)) goto done;
        if (cli->require_all)
            for (const nn_cfg_field *f = cli->fields; f->key; f++)
                if (!cJSON_GetObjectItemCaseSensitive(base, f->key)) {
                    nn_fail("%s: '%s' has no default: every setting's default lives in %s, which lacks it", cli->prog, f->key,
                            base_path);
                    goto done;
                }
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(base, "arms");
        if (a) cli->arms = cJSON_Duplicate(a, 1);
        if (a) snprintf(cli->arms_source, sizeof cli->arms_source, "%s", cli->config_source);
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(base, "claims");
        if (cl) cli->claims = cJSON_Duplicate(cl, 1);
    }
    /* 2. a config file of the user's, over the defaults and their profile: its own keys win over the
     * default profile's (its "arms" replace the default arms; its own profile comes last) */
    if (config) {
        if (read_config(cli->prog, config, &utext, &utext_len)) goto done;
        if (parse_config(cli->prog, config, utext, utext_len, &user)) goto done;
    }
    if (prof) {
        const cJSON *bp = base ? cJSON_GetObjectItemCaseSensitive(base, prof) : NULL;
        const cJSON *up = user ? cJSON_GetObjectItemCaseSensitive(user, prof) : NULL;
        if (!bp && !up) {
            nn_fail("%s: --%s needs a config with a \"%s\" profile (none in %s%s%s)", cli->prog, prof, prof,
                    base_path ? base_path : "the defaults", config ? " or " : "", config ? config : "");
            goto done;
        }
        if (apply_profile(base, base_path, prof, cli->fields)) goto done;
        /* a user's config without a block for this profile replaces the default profile's keys it sets: when
         * it sets all of them (a full copy of the defaults), nothing of the profile would apply and the run
         * would be the user's defaults labelled with the profile's name */
        if (user && bp && !up) {
            char keys[1024] = "";
            int shared = 0, total = 0;
            const cJSON *k;
            cJSON_ArrayForEach(k, bp)
            {
                total++;
                if (!cJSON_GetObjectItemCaseSensitive(user, k->string)) continue;
                shared++;
                size_t used = strlen(keys);
                snprintf(keys + used, sizeof keys - used, "%s%s", used ? ", " : "", k->string);
            }
            if (shared == total) {
                nn_fail("%s: --%s: '%s' has no \"%s\" block and sets every key of the %s profile in %s (%s), so "
                        "nothing of that profile would apply: add a \"%s\" block to '%s', or run without --%s",
                        cli->prog, prof, config, prof, prof, base_path ? base_path : "the defaults", keys, prof, config, prof);
                goto done;
            }
            if (shared > 0)
                fprintf(stderr, "%s: note: '%s' sets %s, which replace%s the %s profile's value%s\n", cli->prog, config, keys,
                        shared == 1 ? "s" : "", prof, shared == 1 ? "" : "s");
        }
    }
    if (config) {
        if (nn_cfg_apply_json(cli->fields, user, config, config_skip)) goto done;
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(user, "arms");
        if (a) {
            if (!cli->arms) {
                nn_fail("%s: '%s' defines arms, but %s compares no arms", config, config, cli->prog);
                goto done;
            }
            cJSON_Delete(cli->arms);
            cli->arms = cJSON_Duplicate(a, 1);
            snprintf(cli->arms_source, sizeof cli->arms_source, "%s", config);
        }
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(user, "claims");
        if (cl) { /* a config's own claims replace the lesson's */
            cJSON_Delete(cli->claims);
            cli->claims = cJSON_Duplicate(cl, 1);
        }
        snprintf(cli->config_path, sizeof cli->config_path, "%s", config);
    } else {
        snprintf(cli->config_path, sizeof cli->config_path, "%s", base_path ? base_path : "");
    }
    /* 3. the user's own profile */
    if (prof && apply_profile(user, config, prof, cli->fields)) goto done;
    /* 4. flags */
    cli->flag_keys = nn_calloc((size_t)n_kv + 1, sizeof *cli->flag_keys);
    for (int i = 0; i < n_kv; i++) {
        if (nn_cfg_set_text(cli->fields, kv[i].key, kv[i].value, cli->prog)) goto done;
        cli->flag_keys[cli->n_flag_keys++] = kv[i].key;
    }
    if (arms) {
        if (!cli->arms) {
            nn_fail("%s: --arms: this experiment compares no arms", cli->prog);
            goto done;
        }
        cli->arm_select = nn_strdup(arms);
    }

    free(cli->out);
    cli->out = nn_strdup(out ? out : cli->default_out ? cli->default_out : "");
    /* OpenBLAS reserves a buffer and a stack for each thread; when that address space is not there
     * (ulimit -v) it spins for ever instead of failing. Measured here: 311 MiB for one thread, 588 for
     * four, 2224 for sixteen; the rule below asks a little more than that. */
    struct rlimit as;
    if (threads > 1 && getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
        double need = (320.0 + 140.0 * (double)(threads - 1)) * 1048576.0;
        if (need > (double)as.rlim_cur) {
            char a[32], b[32];
            long fit = (long)(((double)as.rlim_cur / 1048576.0 - 320.0) / 140.0) + 1;
            nn_fail("%s: --threads %ld needs about %s of address space (OpenBLAS keeps a buffer and a stack for each "
                    "thread), more than the limit of %s (ulimit -v); use --threads %ld or fewer",
                    cli->prog, threads, nn_bytes_str(need, a, sizeof a), nn_bytes_str((double)as.rlim_cur, b, sizeof b),
                    fit < 1 ? 1 : fit);
            goto done;
        }
    }
    cli->threads = (int)threads;
    nn_set_threads(cli->threads);
    if (help == 2) {
        print_settings_json(cli, stdout);
        rc = 1;
        goto done;
    }
    if (help) {
        print_help(cli, stdout);
        rc = 1;
        goto done;
    }
    if (!out && cli->default_out && strchr(cli->default_out, '/')) { /* the default's folder (runs/) may not exist yet */
        char *d = nn_strdup(cli->default_out);
        *strrchr(d, '/') = '\0';
        int bad = mkdir(d, 0777) != 0 && errno != EEXIST;
        if (bad) nn_fail("%s: cannot make the folder '%s' for the results: %s", cli->prog, d, strerror(errno));
        free(d);
        if (bad) goto done;
    }
    rc = 0;
done:
    if (rc < 0) nn_cli_free(cli);
    cur_refused = NULL;
    cJSON_Delete(base);
    cJSON_Delete(user);
    free(text);
    free(utext);
    free(kv);
    return rc;
}
