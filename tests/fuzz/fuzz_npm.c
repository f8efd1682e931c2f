/* fuzz_npm.c — libFuzzer target: the npm-digits JSON converter on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>

#include "nnlab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_bytes img[3] = {{0}}, lab[3] = {{0}};
    if (nn_npm_digits_parse((const char *)data, size, 7, "fuzz", img, lab) == 0)
        for (int p = 0; p < 3; p++)
            if (img[p].len != 784 * lab[p].len) abort(); /* every digit has its label */
    for (int p = 0; p < 3; p++) free(img[p].data), free(lab[p].data);
    return 0;
}
