/* nn_decl.c — claims declared as data (see nn_decl.h). */
#include "nn_decl.h"

#include "nn_grid.h"
#include "nn_str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const claim_keys[] = {"id",
                                         "kind",
                                         "statement",
                                         "source",
                                         "quantity",
                                         "measure",
                                         "derived",
                                         "of",
                                         "vs",
                                         "as",
                                         "baseline",
                                         "once",
                                         "op",
                                         "threshold",
                                         "not_held_at",
                                         "rule_note",
                                         "not_comparative",
                                         "preconditions",
                                         "for_each",
                                         "for_each_name",
                                         "needs",
                                         NULL};
static const char *const need_keys[] = {"value", "op", "threshold", "why", NULL};
static const char *const pre_keys[] = {"what", "measure", "of", "stat", "derived", "op", "threshold", "rules_out", NULL};
static const char *const forms[] = {"value", "ratio", "diff", "gain", NULL};
static const char *const each[] = {"arm", "arm with overrides", "arm without overrides", NULL};

/* what a template is rendered against */
typedef struct scope {
    nn_exp *e;
    const void *set; /* the settings whose values {KEY} gives */
    int arm;         /* the arm of a for_each claim, or −1 */
    const char *where; /* "claim 3 ('id')" for messages */
    int judging;       /* 0 while checking at start: the data and the derived numbers are not there yet */
    const char *each;  /* the name of a for_each_name claim ("" while checking), or NULL */
} scope;

static int in(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(s, list[i])) return 1;
    return 0;
}

static const char *text_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* one value of a setting (element i of a list, i ≥ 0) into b */
static void add_value(nn_str *b, const nn_cfg_field *f, int i)
{
    switch (f->type) {
    case NN_CFG_INT: nn_str_add(b, "%d", *(const int *)f->ptr); break;
    case NN_CFG_REAL: nn_str_add(b, "%g", *(const double *)f->ptr); break;
    case NN_CFG_BOOL: nn_str_add(b, "%s", *(const int *)f->ptr ? "true" : "false"); break;
    case NN_CFG_STR: nn_str_add(b, "%s", (const char *)f->ptr); break;
    case NN_CFG_INT_LIST: nn_str_add(b, "%d", ((const int *)f->ptr)[i]); break;
    case NN_CFG_REAL_LIST: nn_str_add(b, "%g", ((const double *)f->ptr)[i]); break;
    case NN_CFG_STR_LIST: nn_str_add(b, "%s", ((const char(*)[NN_STR])f->ptr)[i]); break;
    case NN_CFG_JSON: break;
    }
}

static int is_list(const nn_cfg_field *f)
{
    return f->type == NN_CFG_INT_LIST || f->type == NN_CFG_REAL_LIST || f->type == NN_CFG_STR_LIST;
}

static const char *render(const scope *sc, const char *t);

/* {NAME}, {NAME[i]}, {NAME#} into b */
static int add_placeholder(nn_str *b, const scope *sc, const char *p, size_t n)
{
    char name[128];
    if (n == 0 || n >= sizeof name) return nn_fail("%s: '{%.*s}' is no placeholder", sc->where, (int)(n > 60 ? 60 : n), p);
    memcpy(name, p, n);
    name[n] = '\0';
    if (!strcmp(name, "S")) return nn_str_add(b, "%d", sc->e->S), 0;
    if (!strcmp(name, "train_images") || !strcmp(name, "test_images")) {
        const nn_dataset *d = name[1] == 'r' ? &sc->e->data.train : &sc->e->data.test;
        if (sc->judging) nn_str_add(b, "%d", d->n);
        return 0;
    }
    if (!strncmp(name, "derived.", 8)) { /* {derived.NAME}, {derived.NAME:.2f} or {derived.NAME:name}; NAME may hold
                                          * placeholders */
        char *fmt = NULL, spec[16] = "%g";
        for (int i = 8, depth = 0; name[i]; i++) /* the format: after the last ':' outside NAME's placeholders */
            depth += name[i] == '{' ? 1 : name[i] == '}' ? -1 : 0, fmt = name[i] == ':' && !depth ? name + i : fmt;
        const int cond = fmt && !strcmp(fmt, ":name"); /* the name of the condition whose index the number is */
        if (fmt) *fmt++ = '\0';
        if (fmt && !cond) {
            const size_t k = strspn(fmt + 1, "0123456789");
            if (fmt[0] != '.' || k < 1 || k > 2 || !strchr("fg", fmt[1 + k]) || fmt[2 + k])
                return nn_fail("%s: '{%s:%s}': a format is .Nf or .Ng", sc->where, name, fmt);
            snprintf(spec, sizeof spec, "%%%s", fmt);
        }
        const char *dn = render(sc, name + 8), *const *names;
        double v;
        if (!dn || !sc->judging) return dn ? 0 : -1;
        const int k = nn_grid_derived_names_get(sc->e, dn, &names);
        if (k >= 0 && fmt) return nn_fail("%s: '{%s:%s}': '%s' are names, which take no format", sc->where, name, fmt, dn);
        for (int i = 0; i < k; i++) nn_str_add(b, "%s%s", i ? ", " : "", names[i]);
        if (k >= 0) return 0;
        if (!nn_grid_derived_get(sc->e, dn, &v))
            return nn_fail("%s: '{%s}': the program computed no number or names '%s'", sc->where, name, dn);
        if (!cond) return nn_str_add(b, spec, v), 0;
        if (v >= 0 && v < nn_grid_n(sc->e) && v == (int)v) nn_str_add(b, "%s", nn_grid_name(sc->e, (int)v));
        else if (v != -1) return nn_fail("%s: '{%s:name}': %g is no condition's index (nor −1, none)", sc->where, name, v);
        return 0;
    }
    if (!strcmp(name, "each")) {
        if (!sc->each) return nn_fail("%s: {each} names the name of a claim made for each name (\"for_each_name\")", sc->where);
        return nn_str_add(b, "%s", sc->each), 0;
    }
    if (!strcmp(name, "arm") || !strcmp(name, "arm_label")) {
        if (sc->arm < 0) return nn_fail("%s: {%s} names the arm of a claim made for each arm (\"for_each\")", sc->where, name);
        nn_str_add(b, "%s", name[3] ? sc->e->arm_label[sc->arm] : sc->e->arm_name[sc->arm]);
        return 0;
    }
    char *when = strchr(name, '?'); /* {KEY?TEXT} or {KEY?TEXT|OTHER}: words for a true/false setting or a list */
    if (when) *when++ = '\0', n = strlen(name);
    int idx = 0, count = 0, indexed = 0, sentence = 0;
    char *br = strchr(name, '['), *colon = strchr(name, ':');
    if (colon && !strcmp(colon, ":and")) sentence = 1, *colon = '\0';
    else if (n > 1 && name[n - 1] == '#') count = 1, name[n - 1] = '\0';
    else if (br) {
        char *end = NULL;
        long i = strtol(br + 1, &end, 10);
        if (end == br + 1 || strcmp(end, "]") || i < -1000 || i > 1000)
            return nn_fail("%s: '{%s}': an index is a whole number in brackets, as {hidden[0]} or {depths[-1]}", sc->where, name);
        *br = '\0', idx = (int)i, indexed = 1;
    }
    nn_cfg_field f[NN_EXP_MAX_FIELDS + 1];
    nn_cfg_refusal r[NN_EXP_MAX_FIELDS + 1];
    int n_r = 0, nf = sc->e->def->fields((void *)sc->set, f, r, &n_r);
    f[nf] = (nn_cfg_field){0};
    if (sentence && strchr(name, '+')) { /* {A+B:and}: several settings' values, lists or not, as one sentence */
        const nn_cfg_field *part[8];
        int np = 0, total = 0;
        for (char *k = name, *plus; k; k = plus ? plus + 1 : NULL) {
            if ((plus = strchr(k, '+'))) *plus = '\0';
            const nn_cfg_field *fk = nn_cfg_find(f, k);
            if (!fk || fk->type == NN_CFG_JSON || np == 8)
                return nn_fail("%s: '{…%s…:and}': %s", sc->where, k,
                               !fk ? "no such setting" : np == 8 ? "at most 8 settings" : "a JSON setting");
            part[np++] = fk, total += is_list(fk) ? *fk->len : 1;
        }
        for (int j = 0, i = 0; j < np; j++)
            for (int m = 0; m < (is_list(part[j]) ? *part[j]->len : 1); m++, i++)
                nn_str_add(b, "%s", !i ? "" : i == total - 1 ? " and " : ", "), add_value(b, part[j], m);
        return 0;
    }
    const nn_cfg_field *fd = nn_cfg_find(f, name);
    if (!fd)
        return nn_fail("%s: '{%s}' names no setting of %s (bin/%s --help lists them)", sc->where, name, sc->e->cli.prog,
                       sc->e->cli.prog);
    if (when) {
        if (fd->type != NN_CFG_BOOL && !is_list(fd))
            return nn_fail("%s: '{%s?…}': '%s' is neither a true/false setting nor a list", sc->where, name, name);
        const char *bar = strchr(when, '|');
        if (is_list(fd) ? *fd->len > 0 : *(const int *)fd->ptr) nn_str_addn(b, when, bar ? (size_t)(bar - when) : strlen(when));
        else if (bar) nn_str_add(b, "%s", bar + 1);
        return 0;
    }
    if (fd->type == NN_CFG_JSON) return nn_fail("%s: '{%s}' is a JSON setting, which a sentence cannot show", sc->where, name);
    if ((count || indexed || sentence) && !is_list(fd))
        return nn_fail("%s: '{%s%s}': '%s' is not a list", sc->where, name, count ? "#" : sentence ? ":and" : "[…]", name);
    if (count) return nn_str_add(b, "%d", *fd->len), 0;
    if (is_list(fd)) {
        const int len = *fd->len;
        if (!indexed) {
            for (int i = 0; i < len; i++)
                nn_str_add(b, "%s", !i ? "" : sentence && i == len - 1 ? " and " : ", "), add_value(b, fd, i);
            return 0;
        }
        const int i = idx < 0 ? len + idx : idx;
        if (i < 0 || i >= len)
            return nn_fail("%s: '{%s[%d]}': '%s' has %d element%s", sc->where, name, idx, name, len, len == 1 ? "" : "s");
        add_value(b, fd, i);
        return 0;
    }
    add_value(b, fd, 0);
    return 0;
}

/* Render a template into memory the experiment owns; NULL (with nn_error) on a bad template. */
static const char *render(const scope *sc, const char *t)
{
    if (!t) return NULL;
    nn_str b = {0};
    nn_str_add(&b, "%s", "");
    for (const char *p = t; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            nn_str_addn(&b, p, 1), p += 2;
        } else if (*p == '{') {
            const char *end = p + 1; /* the matching '}': a placeholder may hold others ({derived.x[{arm}]}) */
            for (int depth = 1; *end && (*end != '}' || --depth); end++) depth += *end == '{';
            if (!*end)
                return nn_str_free(&b), nn_fail("%s: '%s' opens a '{' it does not close ({{ is a brace)", sc->where, t), NULL;
            if (add_placeholder(&b, sc, p + 1, (size_t)(end - p - 1))) return nn_str_free(&b), NULL;
            p = end + 1;
        } else if (*p == '}') {
            return nn_str_free(&b), nn_fail("%s: '%s' closes a '}' it did not open (}} is a brace)", sc->where, t), NULL;
        } else {
            nn_str_addn(&b, p, 1), p++;
        }
    }
    const char *s = nn_exp_str(sc->e, "%s", b.s);
    nn_str_free(&b);
    return s;
}

/* A threshold: a number, "trained", or a template that renders to a number. */
static int number(const scope *sc, const cJSON *v, const char *key, double *out)
{
    if (cJSON_IsNumber(v)) return *out = v->valuedouble, 0;
    if (cJSON_IsObject(v)) { /* {"derived": NAME}: a number the program computed, exactly (NAME a template) */
        const char *d = text_of(v, "derived");
        if (!d || cJSON_GetArraySize(v) != 1) return nn_fail("%s: '%s' as an object is {\"derived\": NAME}", sc->where, key);
        if (!(d = render(sc, d))) return -1;
        *out = NAN;
        if (sc->judging && !nn_grid_derived_get(sc->e, d, out))
            return nn_fail("%s: '%s': the program computed no number '%s'", sc->where, key, d);
        return 0;
    }
    if (!cJSON_IsString(v))
        return nn_fail("%s: '%s' must be a number, a template that gives one, or {\"derived\": NAME}", sc->where, key);
    if (!strcmp(v->valuestring, "trained")) {
        *out = sc->e->have_data ? nn_exp_chance_pct(sc->e) + NN_EXP_TRAINED_MARGIN : NAN;
        return 0;
    }
    const char *s = render(sc, v->valuestring);
    if (!s) return -1;
    if (!sc->judging && (strstr(v->valuestring, "{derived.") || strstr(v->valuestring, "_images}")))
        return *out = NAN, 0; /* the data and the derived numbers are not there yet */
    char *end = NULL;
    *out = strtod(s, &end);
    if (end == s || *end) return nn_fail("%s: '%s' gives \"%s\", not a number", sc->where, key, s);
    return 0;
}

static int valid_op(const char *op)
{
    return op && (!strcmp(op, "<") || !strcmp(op, "<=") || !strcmp(op, ">") || !strcmp(op, ">="));
}

/* "count >= 100" → op and threshold; 0 when the text is not of that form */
static int count_stat(const char *stat, char *op, double *threshold)
{
    if (strncmp(stat, "count ", 6)) return 0;
    const char *p = stat + 6;
    size_t k = strspn(p, "<>=");
    if (k < 1 || k > 2) return 0;
    memcpy(op, p, k), op[k] = '\0';
    if (!valid_op(op)) return 0;
    char *end = NULL;
    *threshold = strtod(p + k, &end);
    return end != p + k && *end == '\0';
}

static int check_keys(const scope *sc, const cJSON *o, const char *const *known, const char *what)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, o) if (!in(k->string, known)) return nn_fail(
        "%s: %s has an unknown key '%s' (lab/nn_decl.h lists them)", sc->where, what, k->string);
    return 0;
}

static int need_text(const scope *sc, const cJSON *o, const char *key, const char *what)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v) || !*v->valuestring) return nn_fail("%s: %s needs '%s', a non-empty text", sc->where, what, key);
    return 0;
}

/* Check one entry's shape and render each of its templates once (their values are not kept). */
static int check_pre(const scope *sc, const cJSON *p)
{
    if (!cJSON_IsObject(p)) return nn_fail("%s: each of 'preconditions' is an object", sc->where);
    const int control = cJSON_GetObjectItemCaseSensitive(p, "rules_out") != NULL;
    const char *what = control ? "a control" : "a precondition";
    if (check_keys(sc, p, pre_keys, what)) return -1;
    const int derived = cJSON_GetObjectItemCaseSensitive(p, "derived") != NULL;
    const char *req[] = {"what", "op", derived ? "derived" : "measure", derived ? NULL : "of", derived ? NULL : "stat",
                         control ? "rules_out" : NULL};
    for (int i = 0; i < 6; i++)
        if (req[i] && need_text(sc, p, req[i], what)) return -1;
    if (derived && (cJSON_GetObjectItemCaseSensitive(p, "measure") || cJSON_GetObjectItemCaseSensitive(p, "of")))
        return nn_fail("%s: %s reads either a derived number or a measure (with 'of'), not both", sc->where, what);
    if (derived && cJSON_GetObjectItemCaseSensitive(p, "stat") && need_text(sc, p, "stat", what)) return -1;
    const char *stat = text_of(p, "stat");
    char op[3];
    double th;
    if (stat && !in(stat, (const char *const[]){"worst", "worst_high", "mean", "min", "max", "first", NULL}) &&
        !count_stat(stat, op, &th))
        return nn_fail("%s: stat '%s': one of worst, worst_high, mean, min, max, first, or 'count OP NUMBER'", sc->where, stat);
    if (!valid_op(text_of(p, "op"))) return nn_fail("%s: %s's op must be <, <=, > or >=", sc->where, what);
    if (!render(sc, text_of(p, "what")) || (!derived && !render(sc, text_of(p, "of"))) ||
        !render(sc, text_of(p, derived ? "derived" : "measure")) || (control && !render(sc, text_of(p, "rules_out"))))
        return -1;
    return number(sc, cJSON_GetObjectItemCaseSensitive(p, "threshold"), "threshold", &th);
}

static int check_one(const scope *sc, const cJSON *c)
{
    if (check_keys(sc, c, claim_keys, "the claim")) return -1;
    const int derived = cJSON_GetObjectItemCaseSensitive(c, "derived") != NULL;
    const char *req[] = {
        "id", "kind", "statement", "source", "quantity", "op", derived ? "derived" : "measure", derived ? NULL : "of"};
    for (int i = 0; i < 8; i++)
        if (req[i] && need_text(sc, c, req[i], "a claim")) return -1;
    if (derived && (cJSON_GetObjectItemCaseSensitive(c, "measure") || cJSON_GetObjectItemCaseSensitive(c, "of") ||
                    cJSON_GetObjectItemCaseSensitive(c, "vs") || cJSON_GetObjectItemCaseSensitive(c, "as")))
        return nn_fail("%s: a claim judges either a derived number (per seed) or a measure ('of', 'vs', 'as'), not both",
                       sc->where);
    const char *kind = text_of(c, "kind");
    if (strcmp(kind, "lecture") && strcmp(kind, "identity") && strcmp(kind, "setup"))
        return nn_fail("%s: kind '%s': lecture, identity or setup (lectures/claim-rubric.md)", sc->where, kind);
    const char *as = text_of(c, "as"), *vs = text_of(c, "vs");
    if (cJSON_GetObjectItemCaseSensitive(c, "as") && !as) return nn_fail("%s: 'as' is a text", sc->where);
    if (as && !in(as, forms)) return nn_fail("%s: 'as' is value, ratio, diff or gain, not '%s'", sc->where, as);
    if ((as && strcmp(as, "value")) != (vs != NULL))
        return nn_fail("%s: 'vs' (the condition compared with) goes with 'as' ratio, diff or gain, and only with them",
                       sc->where);
    const int gain = as && !strcmp(as, "gain");
    if (!valid_op(text_of(c, "op"))) return nn_fail("%s: 'op' must be <, <=, > or >=", sc->where);
    if (gain && strcmp(text_of(c, "op"), ">")) return nn_fail("%s: a gain is judged with '>'", sc->where);
    if (gain && need_text(sc, c, "baseline", "a gain")) return -1;
    if (gain == (cJSON_GetObjectItemCaseSensitive(c, "threshold") != NULL))
        return nn_fail("%s: %s", sc->where, gain ? "a gain's threshold is what the test set resolves: give none"
                                                 : "'threshold' is missing");
    const cJSON *once = cJSON_GetObjectItemCaseSensitive(c, "once");
    if (once && !cJSON_IsBool(once)) return nn_fail("%s: 'once' is true or false", sc->where);
    double th;
    if (!gain && number(sc, cJSON_GetObjectItemCaseSensitive(c, "threshold"), "threshold", &th)) return -1;
    const cJSON *z = cJSON_GetObjectItemCaseSensitive(c, "not_held_at");
    if (z && !cJSON_IsNumber(z)) return nn_fail("%s: 'not_held_at' is a number", sc->where);
    const char *texts[] = {"id", "statement", "source", "quantity", "of", "vs", "rule_note", "not_comparative", "baseline",
                           "derived", "measure"};
    for (int i = 0; i < 11; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, texts[i]);
        if (v && !cJSON_IsString(v)) return nn_fail("%s: '%s' is a text", sc->where, texts[i]);
        if (v && !render(sc, v->valuestring)) return -1;
    }
    const cJSON *needs = cJSON_GetObjectItemCaseSensitive(c, "needs"), *nd;
    if (needs && !cJSON_IsArray(needs)) return nn_fail("%s: 'needs' is a list of conditions", sc->where);
    cJSON_ArrayForEach(nd, needs)
    {
        if (cJSON_IsObject(nd) && text_of(nd, "derived") && cJSON_GetArraySize(nd) == 1) continue; /* {"derived": NAME} */
        if (cJSON_IsObject(nd)) { /* a rule on a setting */
            if (check_keys(sc, nd, need_keys, "a rule in 'needs'") || need_text(sc, nd, "why", "a rule in 'needs'") ||
                !render(sc, text_of(nd, "why")) || number(sc, cJSON_GetObjectItemCaseSensitive(nd, "value"), "value", &th) ||
                number(sc, cJSON_GetObjectItemCaseSensitive(nd, "threshold"), "threshold", &th))
                return -1;
            if (!valid_op(text_of(nd, "op"))) return nn_fail("%s: a rule in 'needs' has an op <, <=, > or >=", sc->where);
        } else if (!cJSON_IsString(nd) || !render(sc, nd->valuestring))
            return cJSON_IsString(nd) ? -1
                                      : nn_fail("%s: 'needs' lists conditions or arms by name, {\"derived\": NAME}, or rules "
                                                "{\"value\", \"op\", \"threshold\", \"why\"}", sc->where);
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(c, "preconditions"), *p;
    if (list && !cJSON_IsArray(list)) return nn_fail("%s: 'preconditions' is a list", sc->where);
    int n_pre = gain;
    cJSON_ArrayForEach(p, list)
    {
        if (check_pre(sc, p)) return -1;
        n_pre++;
    }
    if (n_pre > NN_CLAIM_MAX_PRE)
        return nn_fail("%s: at most %d preconditions and controls together", sc->where, NN_CLAIM_MAX_PRE);
    return 0;
}

/* the arms a for_each claim is made for: mode 0 every arm, 1 with overrides, 2 without */
static int arm_mode(const char *fe) { return !strcmp(fe, "arm") ? 0 : !strcmp(fe, "arm with overrides") ? 1 : 2; }
static int arm_in(const nn_exp *e, int a, int mode)
{
    return mode == 0 || (mode == 1) == (e->arm_n_overrides[a] > 0);
}

/* Call fn once for the claim in scope sc, or, with for_each_name, once per name of that list ({each}; when checking,
 * before the program computed it, once with {each} empty). */
static int each_name(const scope *sc, const cJSON *c, int (*fn)(const scope *, const cJSON *))
{
    const cJSON *fn_name = cJSON_GetObjectItemCaseSensitive(c, "for_each_name");
    if (!fn_name) return fn(sc, c);
    if (!cJSON_IsString(fn_name)) return nn_fail("%s: for_each_name names a list of names the program computed", sc->where);
    const char *list = render(sc, fn_name->valuestring), *const *names;
    if (!list) return -1;
    scope one = *sc;
    one.each = "";
    if (!sc->judging) return fn(&one, c);
    const int n = nn_grid_derived_names_get(sc->e, list, &names);
    if (n < 0) return nn_fail("%s: for_each_name: the program computed no names '%s' (its \"derived\" names)", sc->where, list);
    for (int i = 0; i < n; i++) {
        one.each = names[i];
        if (fn(&one, c)) return -1;
    }
    return 0;
}

/* Call fn(scope, claim) for every claim the list makes: each entry once, or once per arm with for_each (and per name
 * with for_each_name). */
static int each_claim(nn_exp *e, int judging, int (*fn)(const scope *, const cJSON *))
{
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, e->cli.claims)
    {
        i++;
        const char *id = text_of(c, "id");
        scope sc = {e,       e->set,
                    -1,      nn_exp_str(e, "%s: claim %d%s%s%s", e->cli.prog, i, id ? " ('" : "", id ? id : "", id ? "')" : ""),
                    judging, NULL};
        const cJSON *fe = cJSON_GetObjectItemCaseSensitive(c, "for_each");
        if (!fe) {
            if (each_name(&sc, c, fn)) return -1;
            continue;
        }
        if (!cJSON_IsString(fe) || !in(fe->valuestring, each))
            return nn_fail("%s: for_each is \"arm\", \"arm with overrides\" or \"arm without overrides\"", sc.where);
        if (e->n_arms == 0 && !e->cli.arms) return nn_fail("%s: for_each arm, but %s compares no arms", sc.where, e->cli.prog);
        for (int a = 0; a < e->n_arms; a++)
            if (arm_in(e, a, arm_mode(fe->valuestring))) {
                scope as = {e, e->arm_set[a], a, sc.where, judging, NULL};
                if (each_name(&as, c, fn)) return -1;
            }
    }
    return 0;
}

int nn_decl_check(nn_exp *e)
{
    if (!e->cli.claims) return 0;
    return each_claim(e, 0, check_one);
}

/* ---- judging ------------------------------------------------------------------------- */

/* The condition a claim names, or −1 with the reason it did not run in *why. */
static int condition(const scope *sc, const char *name, const char **why)
{
    const int i = nn_grid_find(sc->e, name);
    if (i >= 0) return i;
    const cJSON *arms = sc->e->cli.arms;
    if (!*name) return *why = "the program picked no condition for it in this run", -1; /* a {derived.NAME:name} of −1 */
    *why = arms && cJSON_GetObjectItemCaseSensitive(arms, name)
               ? nn_exp_missing_arm(sc->e, name)
               : nn_exp_str(sc->e, "condition '%s' is not in this run (the settings did not make it)", name);
    return -1;
}

static const double *values(const scope *sc, int cond, const char *measure)
{
    if (!nn_grid_has(sc->e, cond, measure)) {
        nn_fail("%s: condition '%s' recorded no number '%s'", sc->where, sc->e->grid ? nn_grid_name(sc->e, cond) : "?", measure);
        return NULL;
    }
    return nn_grid_values(sc->e, cond, measure);
}

/* The seeds' values reduced by `stat` (nn_decl.h). */
static double reduce(nn_exp *e, const double *v, const char *stat)
{
    char op[3];
    double th, x = NAN;
    if (!strcmp(stat, "worst")) return nn_exp_worst(e, v);
    if (!strcmp(stat, "worst_high")) return nn_exp_worst_high(e, v);
    if (!strcmp(stat, "first")) return v[0];
    if (!strcmp(stat, "mean")) {
        double sd;
        nn_mean_std_n(v, e->S, &x, &sd);
        return x;
    }
    const int high = !strcmp(stat, "max");
    if (high || !strcmp(stat, "min")) {
        for (int r = 0; r < e->S; r++)
            if (!isnan(v[r]) && (isnan(x) || (high ? v[r] > x : v[r] < x))) x = v[r];
        return x;
    }
    NN_ASSERT(count_stat(stat, op, &th), "stat '%s' (checked at start)", stat);
    int k = 0;
    for (int r = 0; r < e->S; r++) k += nn_claim_compare(v[r], op, th);
    return k;
}

/* A derived number: per seed (NULL otherwise). */
static int derived_of(const scope *sc, const char *name, int per_seed, const double **seeds, double *one)
{
    *seeds = nn_grid_derived_seeds(sc->e, name);
    if (per_seed ? *seeds != NULL : nn_grid_derived_get(sc->e, name, one)) return 0;
    if (!per_seed && *seeds) return nn_fail("%s: '%s' is a number per seed: give a 'stat' to reduce it", sc->where, name);
    return nn_fail("%s: the program computed no %snumber '%s' (its \"derived\" numbers)", sc->where, per_seed ? "per-seed " : "",
                   name);
}

/* A precondition's measured value: its stat over the seeds (NaN when its condition did not run). */
static int pre_value(const scope *sc, const cJSON *p, double *out)
{
    const char *why = NULL, *stat = text_of(p, "stat"), *derived = render(sc, text_of(p, "derived"));
    const double *v = NULL;
    *out = NAN;
    if (derived) {
        if (derived_of(sc, derived, stat != NULL, &v, out)) return -1;
    } else {
        const int k = condition(sc, render(sc, text_of(p, "of")), &why);
        if (k < 0) return 0;
        if (!(v = values(sc, k, render(sc, text_of(p, "measure"))))) return -1;
    }
    if (v) *out = reduce(sc->e, v, stat);
    return 0;
}

static int judge_one(const scope *sc, const cJSON *d)
{
    nn_exp *e = sc->e;
    const char *kind = text_of(d, "kind");
    nn_claim c = {.kind = !strcmp(kind, "lecture") ? NN_LECTURE : !strcmp(kind, "identity") ? NN_IDENTITY : NN_SETUP,
                  .id = render(sc, text_of(d, "id")), .statement = render(sc, text_of(d, "statement")),
                  .source = render(sc, text_of(d, "source")), .quantity = render(sc, text_of(d, "quantity")),
                  .op = text_of(d, "op"), .rule_note = render(sc, text_of(d, "rule_note")),
                  .not_comparative = render(sc, text_of(d, "not_comparative"))};
    if (!c.id || !c.statement || !c.source || !c.quantity || (text_of(d, "rule_note") && !c.rule_note) ||
        (text_of(d, "not_comparative") && !c.not_comparative))
        return -1; /* a template only judging can fill (a derived number or name) failed: nn_error says how */
    const cJSON *z = cJSON_GetObjectItemCaseSensitive(d, "not_held_at");
    if (z) c.has_zone = 1, c.not_held_at = z->valuedouble;
    const char *as = text_of(d, "as"), *vs = render(sc, text_of(d, "vs")), *of = render(sc, text_of(d, "of"));
    const int gain = as && !strcmp(as, "gain");
    if (!gain && number(sc, cJSON_GetObjectItemCaseSensitive(d, "threshold"), "threshold", &c.threshold)) return -1;
    const char *why = NULL;
    const cJSON *nd; /* first what it needs: a condition, an arm (whose conditions the program names otherwise), a
                      * number the program computes only when the conditions it is computed from ran, or a rule */
    for (nd = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d, "needs"), 0); nd && !c.unmeasured; nd = nd->next) {
        const char *dn = text_of(nd, "derived");
        if (cJSON_IsObject(nd) && !dn) {
            double v, th;
            if (number(sc, cJSON_GetObjectItemCaseSensitive(nd, "value"), "value", &v) ||
                number(sc, cJSON_GetObjectItemCaseSensitive(nd, "threshold"), "threshold", &th))
                return -1;
            if (!nn_claim_compare(v, text_of(nd, "op"), th)) c.unmeasured = render(sc, text_of(nd, "why"));
            continue;
        }
        const char *name = dn ? NULL : render(sc, nd->valuestring);
        double one;
        if (dn && !nn_grid_derived_get(e, dn, &one) && !nn_grid_derived_seeds(e, dn))
            c.unmeasured = nn_exp_str(e, "the settings made none of the conditions the number '%s' is computed from", dn);
        else if (!dn && nn_exp_arm_index(e, name) < 0 && condition(sc, name, &why) < 0) c.unmeasured = why;
    }
    const int a = of ? condition(sc, of, &why) : 0, b = vs ? condition(sc, vs, &why) : -1;
    if (!c.unmeasured && (a < 0 || (vs && b < 0))) c.unmeasured = why;
    else if (!c.unmeasured && vs && a == b)
        c.unmeasured =
            nn_exp_str(e, "'%s' is compared with itself: the settings made one condition where the claim needs two", of);
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(d, "preconditions"))
    {
        double m, th;
        if (pre_value(sc, p, &m) || number(sc, cJSON_GetObjectItemCaseSensitive(p, "threshold"), "threshold", &th)) return -1;
        const char *what = render(sc, text_of(p, "what")), *rules_out = render(sc, text_of(p, "rules_out"));
        if (!what || (text_of(p, "rules_out") && !rules_out)) return -1;
        if (rules_out) nn_claim_control(&c, rules_out, what, m, text_of(p, "op"), th);
        else nn_claim_require(&c, what, m, text_of(p, "op"), th);
    }
    if (c.unmeasured && gain) /* the rule a gain would have been judged by, with nothing measured */
        return nn_exp_claim_gain(e, &c, nn_exp_vec(e), nn_exp_vec(e), render(sc, text_of(d, "baseline")), e->data.test.n), 0;
    const char *measure = render(sc, text_of(d, "measure")), *derived = render(sc, text_of(d, "derived"));
    const int once = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "once"));
    if (c.unmeasured) /* a measurement made once is recorded as one, missing (as nn_exp_claim_once records it) */
        return (once ? nn_exp_claim_once(e, &c, NAN) : nn_exp_claim_seeds(e, &c, NULL)), 0;
    if (derived) {
        const double *v;
        double one;
        if (derived_of(sc, derived, 1, &v, &one)) return -1;
        if (once) nn_exp_claim_once(e, &c, v[0]);
        else nn_exp_claim_seeds(e, &c, v);
        return 0;
    }
    const double *va = values(sc, a, measure), *vb = NULL;
    if (!va || (vs && !(vb = values(sc, b, measure)))) return -1;
    if (gain) {
        nn_exp_claim_gain(e, &c, va, vb, render(sc, text_of(d, "baseline")), e->data.test.n);
        return 0;
    }
    const double *v = !vs ? va : !strcmp(as, "ratio") ? nn_grid_ratio(e, measure, a, b) : nn_grid_diff(e, measure, a, b);
    if (once) nn_exp_claim_once(e, &c, v[0]);
    else nn_exp_claim_seeds(e, &c, v);
    return 0;
}

int nn_decl_judge(nn_exp *e)
{
    if (!e->cli.claims) return 0;
    return each_claim(e, 1, judge_one);
}
