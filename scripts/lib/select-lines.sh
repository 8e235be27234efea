# Sourced by the compatibility scripts. Sets run_lines from LINES ("name|..." entries)
# and selected (names given on the command line); with none selected, every line,
# or with "ends" only the first and the last.
select_lines() {
  run_lines=()
  if [ ${#selected[@]} -gt 0 ]; then
    local want entry found
    for want in "${selected[@]}"; do
      found=0
      for entry in "${LINES[@]}"; do
        if [ "${entry%%|*}" = "$want" ]; then run_lines+=("$entry"); found=1; fi
      done
      [ $found = 1 ] || { echo "no line $want in the matrix" >&2; exit 2; }
    done
  elif [ "${1:-all}" = ends ]; then
    run_lines=("${LINES[0]}" "${LINES[${#LINES[@]}-1]}")
  else
    run_lines=("${LINES[@]}")
  fi
}

# Reads the common arguments: line names (any argument starting with a digit, or like fpa-0.10),
# --keep, --ci (first and last line only, where the script allows it: $1 = ci-ok),
# --help (prints lines $2 of the calling script). Sets keep, ci and selected.
read_line_args() {
  local ci_ok=$1 help_range=$2 arg
  shift 2
  keep=0; ci=0; selected=()
  for arg in "$@"; do
    case "$arg" in
      --ci) [ "$ci_ok" = ci-ok ] || { echo "unknown argument: $arg" >&2; exit 2; }; ci=1 ;;
      --keep) keep=1 ;;
      -h|--help) sed -n "${help_range}p" "$0"; exit 0 ;;
      [0-9]*|[a-z]*-[0-9]*) selected+=("$arg") ;;
      *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
  done
}
