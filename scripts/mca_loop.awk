# The steady-state inner loop of an elementwise kernel, from objdump's
# disassembly (`objdump -d --no-show-raw-insn`) of one or more functions.
#
# Every backward branch closes a cycle; the cycle taken is the shortest path
# (in instructions) from the branch's target back to the branch, within one
# function: the loop's fast path, which skips the blocks that handle rare
# inputs behind a "does any lane need this" branch. A cycle qualifies when it
# stores at least one full vector of the path's width to memory other than
# the stack; its elements per iteration are the lanes it stores. Of the
# qualifying cycles the one with the most elements per iteration wins (the
# unrolled main loop over a one-vector remainder loop), then the shortest.
#
# Variables: arch = "x86" or "aarch64"; vreg = the full-width register
# ("zmm" or "ymm" on x86, "q" on aarch64); lanes = its f32 lanes.
#
# Output: a first line "elements instructions first_address last_address
# checked" (checked is 1 when an add of the pointer or index matches the
# elements per iteration, 0 when none does), then the cycle's instructions,
# cleaned for llvm-mca, with every branch target replaced by one label.
# Nothing when no cycle qualifies.

function hex(s, i, n) {
    n = 0
    s = tolower(s)
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n
}

# The address a direct branch or call names ("43a51 <sym+0x1221>"), or -1.
function target(ops) {
    if (match(ops, /^[0-9a-f]+ </) || match(ops, /, [0-9a-f]+ </)) {
        ops = substr(ops, RSTART, RLENGTH - 2)
        sub(/^, /, "", ops)
        return hex(ops)
    }
    return -1
}

function is_branch(m) {
    if (arch == "x86") return m ~ /^j/
    return m ~ /^(b|b\.[a-z]+|cbn?z|tbn?z)$/
}

function is_unconditional(m) { return m == "jmp" || m == "b" }

# No way on: returns and indirect jumps.
function is_end(m, ops) {
    if (m ~ /^(ret|retq|ud2|hlt|br|brk|udf)$/) return 1
    return m == "jmp" && ops ~ /^\*/
}

# The first register an operand string names as its destination.
function dest(ops) {
    if (arch == "x86") {
        if (match(ops, /%[a-z0-9]+$/)) return substr(ops, RSTART + 1)
        return ""
    }
    if (match(ops, /^[a-z0-9]+/)) return substr(ops, RSTART, RLENGTH)
    return ""
}

# The base register of the memory operand of a store, or "".
function base(ops) {
    if (arch == "x86") {
        if (match(ops, /\(%[a-z0-9]+/)) return substr(ops, RSTART + 2, RLENGTH - 2)
        return ""
    }
    if (match(ops, /\[[a-z0-9]+/)) return substr(ops, RSTART + 1, RLENGTH - 1)
    return ""
}

# The full vectors instruction i stores (0 if it is no such store).
function vector_stores(i, m, ops, list, a, b) {
    m = mn[i]
    ops = op[i]
    if (arch == "x86") {
        if (m !~ /^vmov(ups|aps|dqu|dqa|dqu8|dqu16|dqu32|dqu64|dqa32|dqa64|ntps|ntdq)$/) return 0
        if (ops !~ ("^%" vreg "[0-9]+,")) return 0
        if (ops ~ /\{%k[0-7]\}/ || ops !~ /\)$/) return 0
        return 1
    }
    if (m ~ /^(str|stur|stnp|stp)$/) {
        if (ops !~ ("^" vreg "[0-9]+,")) return 0
        return m ~ /p$/ ? 2 : 1
    }
    if (m == "st1" && match(ops, /^\{[^}]*\}/)) {
        list = substr(ops, 2, RLENGTH - 2)
        if (list !~ /\.(4s|2d|16b|8h)/) return 0
        if (match(list, /^v[0-9]+\.[0-9a-z]+-v[0-9]+/)) {
            split(list, a, "-")
            sub(/^v/, "", a[1])
            sub(/^v/, "", a[2])
            return (a[2] + 32 - a[1]) % 32 + 1
        }
        return split(list, b, ",")
    }
    return 0
}

# Whether operand string ops names the stack pointer, the frame pointer or
# a register in the set stack[].
function names_stack(ops, r, n, i, tok) {
    n = split(ops, tok, /[^a-z0-9]+/)
    for (i = 1; i <= n; i++) {
        r = tok[i]
        if (r == "rsp" || r == "sp" || r == "x29" || r == "wsp") return 1
        if (r in stack) return 1
    }
    return 0
}

# The immediates instruction i adds to a register (pointer or index steps).
function steps(i, m, ops, out) {
    m = mn[i]
    ops = op[i]
    out = ""
    if (arch == "x86") {
        if (m ~ /^add/ && match(ops, /^\$0x[0-9a-f]+,/)) out = hex(substr(ops, 4, RLENGTH - 4))
        # A negative immediate, 0xff..f80 for -0x80: 16^digits - rest.
        if (m ~ /^sub/ && match(ops, /^\$0xf+[0-9a-f]+,/)) {
            ops = substr(ops, 4, RLENGTH - 4)
            sub(/^f+/, "", ops)
            out = 16 ^ length(ops) - hex(ops)
        }
        if (m ~ /^lea/ && match(ops, /^0x[0-9a-f]+\(%[a-z0-9]+\),/)) out = hex(substr(ops, 3, index(ops, "(") - 3))
        return out
    }
    if (m == "add" && match(ops, /#0x[0-9a-f]+$/)) out = hex(substr(ops, RSTART + 3))
    if (match(ops, /\], #[0-9]+$/)) out = substr(ops, RSTART + 4)
    if (match(ops, /, #[0-9]+\]!$/)) out = substr(ops, RSTART + 3, RLENGTH - 5)
    return out
}

# Instruction i as llvm-mca reads it: no comments, every branch or address
# operand pointing at the label.
function clean(i, ops) {
    ops = op[i]
    if (arch == "x86") sub(/[ \t]*#.*$/, "", ops)
    else sub(/[ \t]*\/\/.*$/, "", ops)
    if (match(ops, /[0-9a-f]+ <.*>$/)) ops = substr(ops, 1, RSTART - 1) ".Lmca_loop"
    return mn[i] (ops == "" ? "" : " " ops)
}

/^[0-9a-f]+ <.*>:$/ { fn++ }

/^ *[0-9a-f]+:\t/ {
    n++
    split($0, f, "\t")
    a = f[1]
    sub(/^ +/, "", a)
    addr[n] = hex(substr(a, 1, length(a) - 1))
    # aarch64 separates the operands with a tab, x86 with spaces.
    rest = f[2] " " f[3]
    match(rest, /^[^ ]+/)
    mn[n] = substr(rest, 1, RLENGTH)
    rest = substr(rest, RLENGTH + 1)
    sub(/^ +/, "", rest)
    sub(/ +$/, "", rest)
    op[n] = rest
    func_of[n] = fn
    at[fn, addr[n]] = n
}

END {
    best = ""
    for (b = 1; b <= n; b++) {
        if (!is_branch(mn[b])) continue
        t = target(op[b])
        if (t < 0 || t > addr[b] || !((func_of[b], t) in at)) continue
        start = at[func_of[b], t]
        # Breadth-first search from the loop head to the branch.
        split("", prev)
        head = 1
        tail = 1
        queue[1] = start
        prev[start] = 0
        while (head <= tail && !(b in prev)) {
            i = queue[head++]
            if (i == b || is_end(mn[i], op[i])) continue
            nsucc = 0
            if (!is_branch(mn[i]) || !is_unconditional(mn[i])) succ[++nsucc] = i + 1
            if (is_branch(mn[i])) {
                u = target(op[i])
                if (u >= 0 && ((func_of[i], u) in at)) succ[++nsucc] = at[func_of[i], u]
            }
            for (k = 1; k <= nsucc; k++) {
                j = succ[k]
                if (j > n || func_of[j] != func_of[i] || (j in prev)) continue
                prev[j] = i
                queue[++tail] = j
            }
        }
        if (!(b in prev)) continue
        len = 0
        for (i = b; i != 0; i = prev[i]) path[++len] = i
        # In execution order; stores through the stack (spills) do not count.
        split("", stack)
        stored = 0
        nsteps = 0
        for (k = len; k >= 1; k--) {
            i = path[k]
            v = vector_stores(i)
            if (v > 0 && !names_stack(base(op[i]))) stored += v
            d = dest(op[i])
            if (d != "" && v == 0) {
                rest = op[i]
                if (arch == "x86") sub(/,?[^,]*$/, "", rest)
                else sub(/^[^,]*,?/, "", rest)
                if (names_stack(rest)) stack[d] = 1
                else delete stack[d]
            }
            s = steps(i)
            if (s != "") step[++nsteps] = s + 0
        }
        if (stored == 0) continue
        elements = stored * lanes
        if (best != "" && (elements < best_elements || (elements == best_elements && len >= best_len))) continue
        checked = 0
        for (k = 1; k <= nsteps; k++) if (step[k] == elements || step[k] == 4 * elements) checked = 1
        best = b
        best_elements = elements
        best_len = len
        best_checked = checked
        text = ""
        for (k = len; k >= 1; k--) text = text clean(path[k]) "\n"
        best_text = text
        best_first = addr[path[len]]
        best_last = addr[b]
    }
    if (best == "") exit
    printf "%d %d %x %x %d\n", best_elements, best_len, best_first, best_last, best_checked
    printf ".Lmca_loop:\n%s", best_text
}
