# figure.gp NAME WIDTH HEIGHT — open the output <out>-NAME.<fmt> (see common.gp)
if (fmt eq 'svg') {
    set terminal svg size ARG2,ARG3 dynamic enhanced font 'Helvetica,12' background rgb 'white'
} else {
    set terminal pngcairo size ARG2,ARG3 enhanced font 'DejaVu Sans,10'
}
set output sprintf('%s-%s.%s', out, ARG1, fmt)
