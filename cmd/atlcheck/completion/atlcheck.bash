# bash completion for atlcheck.
# Load it with:  source <(atlcheck completion bash)
# or save it as /etc/bash_completion.d/atlcheck (or ~/.local/share/bash-completion/completions/atlcheck).
# The candidates come from atlcheck itself (atlcheck __complete WORDS...), so they match the installed version.
_atlcheck() {
    local cur="${COMP_WORDS[COMP_CWORD]}" line
    local IFS=$'\n'
    local -a lines
    lines=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
    COMPREPLY=()
    [[ $cur == "=" ]] && cur=""
    for line in "${lines[@]}"; do
        case "$line" in
            :files) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
            :dirs) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
            *) COMPREPLY+=("${line%%$'\t'*}") ;;
        esac
    done
}
complete -o default -F _atlcheck atlcheck
