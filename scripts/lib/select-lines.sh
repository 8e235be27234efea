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
