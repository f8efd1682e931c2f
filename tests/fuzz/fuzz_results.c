/* fuzz_results.c — libFuzzer target: a results file as every tool that reads one takes it.
 *
 * The input is a results document's text. Whatever nn_report_check accepts (the fields every reader needs:
 * claims with an id and a valid verdict, tables with a caption and columns) must then go through what the
 * readers do with it without a crash or a sanitizer report: the notes' Markdown block (nn_report_markdown),
 * the verdict counts and fragile claims, every claim judged again by the rule, and the merge of a second seed
 * set's verdicts (the document with itself). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nnlab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    cJSON *doc = nn_json_parse(text);
    free(text);
    char bad[256];
    if (!doc || nn_report_check(doc, bad, sizeof bad) != 0) {
        if (doc && !bad[0]) abort(); /* a refusal names the field */
        cJSON_Delete(doc);
        return 0;
    }
    nn_str md = {0};
    nn_report_markdown(doc, &md);
    nn_str_free(&md);
    int h, nh, inc, twice;
    nn_claims_count(doc, &h, &nh, &inc);
    nn_claims_fragile(doc, &twice);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "claims")) nn_claim_rejudge(c);
    cJSON *copy = cJSON_Duplicate(doc, 1);
    nn_claims_merge_second(copy, doc);
    cJSON_Delete(copy);
    cJSON_Delete(doc);
    return 0;
}
