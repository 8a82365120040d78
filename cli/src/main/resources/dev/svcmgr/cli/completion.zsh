#compdef svcmgr
# zsh completion for svcmgr (printed by 'svcmgr completion zsh').
# Load it with:  source <(svcmgr completion zsh)   (after compinit)
# or install it as _svcmgr in a directory of $fpath, e.g. /usr/local/share/zsh/site-functions (install.sh does).
# Every candidate comes from 'svcmgr __complete': commands and options from the program's own
# model, unit names from the running daemon or, without one, from the unit directories.
_svcmgr() {
    local -a out candidates
    out=("${(@f)$(${words[1]} __complete zsh -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    case ${out[1]} in
        :files) _files ;;
        :dirs) _files -/ ;;
        *)
            candidates=("${(@)out[2,-1]}")
            candidates=(${candidates:#})
            (( ${#candidates} )) && _describe -t svcmgr 'svcmgr' candidates
            ;;
    esac
}
if [[ ${funcstack[1]-} == _svcmgr ]]; then
    _svcmgr "$@"
else
    compdef _svcmgr svcmgr
fi
