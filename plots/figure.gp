# figure.gp NAME WIDTH HEIGHT — open the output <out>-NAME.<fmt> (see common.gp)
if (fmt eq 'svg') {
    set terminal svg size ARG2,ARG3 dynamic enhanced font 'Helvetica,12' background rgb 'white'
} else {
    set terminal pngcairo size ARG2,ARG3 enhanced font 'DejaVu Sans,10'
}
set output sprintf('%s-%s.%s', out, ARG1, fmt)
# a notice in the corner of every figure of a results file with diverged runs
if (NDIV > 0) {
    set label 99 sprintf('%d of %d runs diverged (NaN/Inf)', NDIV, NRUNS) at screen 0.005, screen 0.975 left font ',8' tc rgb '#b30000' front
} else {
    unset label 99
}
