# fish completion for atlcheck.
# Load it with:  atlcheck completion fish | source
# or save it as ~/.config/fish/completions/atlcheck.fish.
# The candidates come from atlcheck itself (atlcheck __complete WORDS...), so they match the installed version.
function __atlcheck_complete
    set -l done (commandline -opc)
    set -l cur (commandline -ct)
    for line in ($done[1] __complete $done[2..-1] "$cur" 2>/dev/null)
        switch $line
            case ':files'
                __fish_complete_path "$cur"
            case ':dirs'
                __fish_complete_directories "$cur"
            case '*'
                echo $line
        end
    end
end
complete -c atlcheck -f -a '(__atlcheck_complete)'
