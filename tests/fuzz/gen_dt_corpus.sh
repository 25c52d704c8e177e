#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Seed corpus of the dt fuzz target (tests/fuzz/dt.c), written into DIR
# (make fuzz-corpus; the output is committed as tests/fuzz/corpus/dt/):
#   case-NAME     each tests/linux/dt-cases/NAME.dtsi on a small root
#                 (2 cells, memory@40000000, 1 GiB, as QEMU's virt with
#                 -m 1G) instead of QEMU's whole 8 KiB tree: the same
#                 /memreserve/ and /reserved-memory, a few hundred bytes
#   held-NAME     some of them with QEMU's held ranges (the 6.12 kernel
#                 image and the DTB where QEMU puts it) before the blob
#   enomem-NN-NAME  allocations fail after NN per core call
#   small-NAME    hand-written trees: 1-cell and mixed-cell roots, several
#                 banks, linux,usable-memory, memory past 2^48, /memreserve/
#                 with a zero entry in the middle, pools, alloc-ranges,
#                 no /reserved-memory at all
# Each file is the target's control byte (dt.c) then a DTB from dtc.
# Deterministic; files are overwritten, never removed (regression inputs
# stay).  Usage: gen_dt_corpus.sh DIR DT-CASES-DIR
set -euo pipefail

out=${1:?usage: gen_dt_corpus.sh DIR DT-CASES-DIR}
cases=${2:?usage: gen_dt_corpus.sh DIR DT-CASES-DIR}
dtc=${DTC:-dtc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# seed NAME CONTROL-HEX DTS-FILE: the control bytes (hex), then the DTB
seed() {
	"$dtc" -q -I dts -O dtb -o "$tmp/blob" "$3"
	{ printf '%b' "$2"; cat "$tmp/blob"; } > "$out/$1"
}

# QEMU's held ranges: byte 1 = 2 ranges, 16 bytes each (base, size)
held='\x02'
held+='\x00\x00\x00\x00\x40\x20\x00\x00\x00\x00\x00\x00\x00\x50\x00\x00'
held+='\x00\x00\x00\x00\x48\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00'

for f in "$cases"/*.dtsi; do
	name=$(basename "$f" .dtsi)
	{
		echo '/dts-v1/;'
		grep '^/memreserve/' "$f" || true
		cat <<-'EOF'
		/ {
			#address-cells = <2>;
			#size-cells = <2>;
			compatible = "linux,dummy-virt";
			memory@40000000 {
				device_type = "memory";
				reg = <0x0 0x40000000 0x0 0x40000000>;
			};
		};
		EOF
		grep -v -e '^/memreserve/' -e 'SPDX-License-Identifier' "$f"
	} > "$tmp/$name.dts"
	seed "case-$name" '\x00' "$tmp/$name.dts"
done
for name in alloc-bottomup alloc-ranges cma-pool dynamic-only memreserve \
	     mixed nomap-dtb nomap-kernel overlap ramoops static-only; do
	seed "held-$name" "\\x40$held" "$tmp/$name.dts"
done
for n in 03 11 25; do
	seed "enomem-$n-mixed" "$(printf '\\x%02x' $((0x80 | 10#$n)))" "$tmp/mixed.dts"
done
seed enomem-07-held-cma-pool "\\xc7$held" "$tmp/cma-pool.dts"

# Hand-written: name, then the source
small() {
	cat > "$tmp/$1.dts"
	seed "small-$1" '\x00' "$tmp/$1.dts"
}

small cell1 <<'EOF'
/dts-v1/;
/memreserve/ 0x80000000 0x1000;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	memory@80000000 {
		device_type = "memory";
		reg = <0x80000000 0x10000000>;
	};
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		s@80100000 {
			reg = <0x80100000 0x100000>;
		};
		n@8f000000 {
			reg = <0x8f000000 0x200000>;
			no-map;
		};
		d {
			size = <0x100000>;
			alignment = <0x10000>;
		};
		r {
			size = <0x80000>;
			alloc-ranges = <0x80000000 0x1000000>;
		};
		pool {
			compatible = "shared-dma-pool";
			reusable;
			size = <0x400000>;
		};
	};
};
EOF

small cell1-top <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	memory@0 {
		device_type = "memory";
		reg = <0x0 0x8000000 0xf0000000 0x10000000>;
	};
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		dma {
			compatible = "shared-dma-pool";
			no-map;
			size = <0x100000>;
		};
		top@fff00000 {
			reg = <0xfff00000 0x100000>;
		};
	};
};
EOF

small cell2-banks <<'EOF'
/dts-v1/;
/memreserve/ 0x40000000 0x10000;
/memreserve/ 0x0 0x0;
/memreserve/ 0x41000000 0x10000;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x8000000 0x0 0x48000000 0x0 0x8000000>;
	};
	memory@100000000 {
		device_type = "memory";
		reg = <0x1 0x00000800 0x0 0x10000800>;
		linux,usable-memory = <0x1 0x0 0x0 0x4000000>;
	};
	memory@2000000000 {
		device_type = "memory";
		status = "disabled";
		reg = <0x20 0x0 0x0 0x10000000>;
	};
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		cross@47f00000 {
			reg = <0x0 0x47f00000 0x0 0x200000>;
		};
		low {
			size = <0x0 0x100000>;
			alloc-ranges = <0x0 0x40000000 0x0 0x1000000 0x1 0x0 0x0 0x100000>;
		};
		next {
			size = <0x0 0x100000>;
			alloc-ranges = <0x0 0x40000000 0x0 0x2000000>;
		};
		cma {
			compatible = "shared-dma-pool";
			reusable;
			linux,cma-default;
			size = <0x0 0x1000000>;
			alignment = <0x0 0x400000>;
		};
	};
};
EOF

small cell2-high <<'EOF'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	memory@ffffffff0000 {
		device_type = "memory";
		reg = <0xffff 0xffff0123 0x0 0x20000>;
	};
	memory@800000000000 {
		device_type = "memory";
		reg = <0x8000 0x0 0x0 0x100000>;
	};
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		d {
			size = <0x0 0x10000>;
		};
	};
};
EOF

small mixed-cells <<'EOF'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <1>;
	memory@80000000 {
		device_type = "memory";
		reg = <0x0 0x80000000 0x20000000>;
	};
	reserved-memory {
		#address-cells = <2>;
		#size-cells = <1>;
		ranges;
		zero@80000000 {
			reg = <0x0 0x80000000 0x0>;
			size = <0x10000>;
		};
		empty {
			reg;
		};
		two@81000000 {
			reg = <0x0 0x81000000 0x1000 0x0 0x82000000 0x1000>;
		};
		off {
			status = "disabled";
			size = <0x100000>;
		};
		nm {
			size = <0x100000>;
			no-map;
		};
	};
};
EOF

small cell3 <<'EOF'
/dts-v1/;
/ {
	#address-cells = <3>;
	#size-cells = <1>;
	memory@40000000 {
		device_type = "memory";
		reg = <0x1 0x0 0x40000000 0x10000000>;
	};
	reserved-memory {
		#address-cells = <3>;
		#size-cells = <1>;
		ranges;
		s@40000000 {
			reg = <0x0 0x0 0x40000000 0x100000>;
		};
		d {
			size = <0x20000>;
			alignment = <0x0 0x0 0x3000>;
		};
	};
};
EOF

small no-resmem <<'EOF'
/dts-v1/;
/ {
	memory@10000000 {
		device_type = "memory";
		reg = <0x10000000 0x800000>;
	};
};
EOF

small ramoops <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	memory@40000000 {
		device_type = "memory";
		reg = <0x40000000 0x4000000>;
	};
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		ramoops@43f00000 {
			compatible = "ramoops";
			reg = <0x43f00000 0x100000>;
			record-size = <0x4000>;
		};
		a@43e00000 {
			reg = <0x43e00000 0x10000>;
		};
		pool {
			compatible = "vendor,x", "SHARED-DMA-POOL";
			reusable;
			size = <0x300000>;
		};
	};
};
EOF

small full <<'EOF'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	memory@40000000 {
		device_type = "memory";
		reg = <0x40000000 0x100000>;
	};
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		big {
			size = <0xff000>;
		};
	};
};
EOF
