# fish completion for svcmgr (printed by 'svcmgr completion fish').
# Load it with:  svcmgr completion fish | source
# or install it as ~/.config/fish/completions/svcmgr.fish, or in a vendor_completions.d directory (install.sh does).
# Every candidate comes from 'svcmgr __complete': commands and options from the program's own
# model, unit names from the running daemon or, without one, from the unit directories.
function __svcmgr_complete
    set -l tokens (commandline -opc)
    set -l program $tokens[1]
    set -e tokens[1]
    set -l current (commandline -ct)
    set -l out (command $program __complete fish -- $tokens "$current" 2>/dev/null)
    switch "$out[1]"
        case :files
            __fish_complete_path "$current"
        case :dirs
            __fish_complete_directories "$current"
        case '*'
            set -e out[1]
            if set -q out[1]
                printf '%s\n' $out
            end
    end
end
complete -c svcmgr -f -a '(__svcmgr_complete)'
