#!/usr/bin/env bash
# Makes the toolchain pinned in rust-toolchain.toml available, without a download when it can.
#
# rustup refuses to run cargo in this repository until the pinned toolchain is installed. A machine
# that cannot reach the Rust download servers but has that exact version installed under another name
# (`stable`, say) gets it registered under the pinned name (a link, as rustup stores it); otherwise
# this asks rustup to install it, which needs the network. Idempotent; .ci/run calls it first.
#
# Usage: bash scripts/toolchain.sh
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if [ -z "$want" ]; then
  echo "toolchain: no channel in rust-toolchain.toml" >&2
  exit 1
fi
if ! command -v rustup >/dev/null 2>&1; then
  echo "toolchain: no rustup; using $(rustc --version) as found on PATH (pinned: $want)"
  exit 0
fi
# Outside the repository, so that rustup does not read the pin while looking.
if (cd / && rustup run "$want" rustc --version) >/dev/null 2>&1; then
  echo "toolchain: $want installed"
  exit 0
fi

home=${RUSTUP_HOME:-$HOME/.rustup}
host=$(cd / && rustup show | sed -n 's/^Default host: //p')
for dir in "$home"/toolchains/*; do
  [ -x "$dir/bin/rustc" ] || continue
  version=$("$dir/bin/rustc" --version | awk '{print $2}')
  if [ "$version" = "$want" ]; then
    ln -s "$dir" "$home/toolchains/$want-$host"
    echo "toolchain: registered $(basename "$dir") (rustc $version) as $want-$host, no download"
    exit 0
  fi
done

echo "toolchain: rustc $want is not installed under any name; asking rustup to install it (needs the network)"
rustup toolchain install "$want" --profile minimal --component rustfmt --component clippy
