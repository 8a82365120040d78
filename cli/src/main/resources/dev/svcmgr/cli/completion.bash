# bash completion for svcmgr (printed by 'svcmgr completion bash').
# Load it with:  source <(svcmgr completion bash)
# or install it as /usr/share/bash-completion/completions/svcmgr (install.sh does).
# Every candidate comes from 'svcmgr __complete': commands and options from the program's own
# model, unit names from the running daemon or, without one, from the unit directories.
_svcmgr() {
    local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\n'
    local -a out
    out=($("${COMP_WORDS[0]}" __complete bash -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
    case ${out[0]-} in
        :files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
        :dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
        *) COMPREPLY=("${out[@]:1}") ;;
    esac
}
complete -F _svcmgr svcmgr
