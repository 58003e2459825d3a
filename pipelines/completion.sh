#!/bin/sh
# confiture completion bash|zsh: a completion script for the shell, on stdout.
# `make install` installs both; by hand: eval "$(confiture completion bash)".
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

commands='init build migrate sync tmpdb config validate-config verify-checksums completion introspect'
migrate_cmds='new up down down-to status current verify baseline convert-py'
common='--env --config --no-config --project-dir --migrations-dir --database-url --tracking-table --hooks-dir --format --output --verbose --strict --help'
up_opts='--target --dry-run --dry-run-execute --lock-timeout --no-lock --verify-checksums --no-verify-checksums --on-checksum-mismatch --require-reversible'
other_opts='--steps --check-rebuild --rebuild-threshold --version --allow-uninitialized --through --from-db --source-table --down'
build_opts='--env --project-dir --output --schema-only --show-hash --hash-only --upstream-hash --apply --database-url --sequential --force --strict --help'

case ${1:-} in
bash)
	cat <<BASH
# bash completion for confiture
_confiture() {
	local cur=\${COMP_WORDS[COMP_CWORD]} first=\${COMP_WORDS[1]:-}
	if [ "\$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=(\$(compgen -W "$commands --help --version --exit-codes" -- "\$cur"))
		return
	fi
	case \$first in
	migrate)
		if [ "\$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=(\$(compgen -W "$migrate_cmds" -- "\$cur"))
		else
			COMPREPLY=(\$(compgen -W "$common $up_opts $other_opts" -- "\$cur"))
		fi
		;;
	build) COMPREPLY=(\$(compgen -W "$build_opts" -- "\$cur")) ;;
	completion) COMPREPLY=(\$(compgen -W "bash zsh" -- "\$cur")) ;;
	config | validate-config | verify-checksums)
		COMPREPLY=(\$(compgen -W "$common --allow-uninitialized --migrations-path" -- "\$cur")) ;;
	*) COMPREPLY=(\$(compgen -f -- "\$cur")) ;;
	esac
}
complete -o default -F _confiture confiture
BASH
	;;
zsh)
	cat <<ZSH
#compdef confiture
# zsh completion for confiture
_confiture() {
	if (( CURRENT == 2 )); then
		compadd -- $commands --help --version --exit-codes
		return
	fi
	case \$words[2] in
	migrate)
		if (( CURRENT == 3 )); then
			compadd -- $migrate_cmds
		else
			compadd -- $common $up_opts $other_opts
		fi
		;;
	build) compadd -- $build_opts ;;
	completion) compadd -- bash zsh ;;
	config|validate-config|verify-checksums) compadd -- $common --allow-uninitialized --migrations-path ;;
	*) _files ;;
	esac
}
_confiture "\$@"
ZSH
	;;
*) die 5 "usage: confiture completion bash|zsh" ;;
esac
