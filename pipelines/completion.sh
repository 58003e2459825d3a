#!/bin/sh
# confiture completion bash|zsh: a completion script for the shell, on stdout.
# `make install` installs both; by hand: eval "$(confiture completion bash)".
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

commands='init build migrate seed sync tmpdb diff drift lint config validate-config verify-checksums completion introspect test-db'
migrate_cmds='new generate preflight up down down-to status current verify baseline convert-py schema-to-schema'
common='--env --config --no-config --project-dir --migrations-dir --database-url --tracking-table --hooks-dir --format --output --verbose --strict --help'
# each migrate command's own options, as pipelines/migrate.sh takes them (it refuses the others)
new_opts='--dry-run --force'
up_opts='--target --dry-run --dry-run-execute --lock-timeout --no-lock --verify-checksums --no-verify-checksums --on-checksum-mismatch --require-reversible --targets --jobs --keep-going'
down_opts='--steps --dry-run --lock-timeout --no-lock'
downto_opts='--dry-run --lock-timeout --no-lock'
status_opts='--check-rebuild --rebuild-threshold --targets --jobs'
verify_opts='--version --allow-uninitialized'
baseline_opts='--through --dry-run --from-db --source-table'
build_opts='--env --project-dir --output --schema-only --show-hash --hash-only --upstream-hash --apply --database-url --sequential --force --strict --cache --no-cache --clone --prefix --target --template-only --prune-cache --help'

case ${1:-} in
bash)
	cat <<BASH
# bash completion for confiture
_confiture() {
	local cur=\${COMP_WORDS[COMP_CWORD]} first=\${COMP_WORDS[1]:-} prev=\${COMP_WORDS[COMP_CWORD-1]:-} e
	# an environment's name: the environment files of the project
	if [ "\$prev" = -e ] || [ "\$prev" = --env ]; then
		COMPREPLY=()
		for e in db/environments/*.yaml; do
			[ -e "\$e" ] || continue
			e=\${e##*/}
			e=\${e%.yaml}
			case \$e in "\$cur"*) COMPREPLY+=("\$e") ;; esac
		done
		return
	fi
	if [ "\$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=(\$(compgen -W "$commands --help --version --exit-codes" -- "\$cur"))
		return
	fi
	case \$first in
	migrate)
		if [ "\$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=(\$(compgen -W "$migrate_cmds" -- "\$cur"))
		else
			case \${COMP_WORDS[2]} in
			new | generate) e="$new_opts" ;;
			up) e="$up_opts" ;;
			down) e="$down_opts" ;;
			down-to) e="$downto_opts" ;;
			status) e="$status_opts" ;;
			verify) e="$verify_opts" ;;
			baseline) e="$baseline_opts" ;;
			convert-py) e=--down ;;
			*) e='' ;;
			esac
			COMPREPLY=(\$(compgen -W "$common \$e" -- "\$cur"))
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
			case \$words[3] in
			new|generate) compadd -- $common $new_opts ;;
			up) compadd -- $common $up_opts ;;
			down) compadd -- $common $down_opts ;;
			down-to) compadd -- $common $downto_opts ;;
			status) compadd -- $common $status_opts ;;
			verify) compadd -- $common $verify_opts ;;
			baseline) compadd -- $common $baseline_opts ;;
			convert-py) compadd -- $common --down ;;
			*) compadd -- $common ;;
			esac
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
