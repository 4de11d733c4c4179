#compdef atlcheck
# zsh completion for atlcheck.
# Load it with:  source <(atlcheck completion zsh)
# or save it as _atlcheck in a directory of $fpath (before compinit runs).
# The candidates come from atlcheck itself (atlcheck __complete WORDS...), so they match the installed version.
_atlcheck() {
  local line name
  local -a lines cands
  lines=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "${lines[@]}"; do
    case "$line" in
      '') ;;
      :files) _files ;;
      :dirs) _files -/ ;;
      *$'\t'*) name="${line%%$'\t'*}"; cands+=("${name//:/\\:}:${line#*$'\t'}") ;;
      *) cands+=("${line//:/\\:}") ;;
    esac
  done
  (( ${#cands} )) && _describe -t atlcheck 'atlcheck' cands
  return 0
}
if [[ "${funcstack[1]}" == _atlcheck ]]; then
  _atlcheck "$@"
else
  compdef _atlcheck atlcheck
fi
