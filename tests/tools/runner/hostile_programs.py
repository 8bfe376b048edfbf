"""The hostile battery: one program per attack and language.

Each program either burns a limit (time, memory, processes, output) or tries to step outside the
sandbox (files, network, secrets, the parent, a shell) and then exits with status 3 after
printing what it got, so a run always ends in a failed verdict. Placeholders: MARK (a random
marker naming files), PORT (a port listening on the host), SECRET_FILE (a host file holding a secret
that is also in the worker's environment as PREPAI_RUNNER_TEST_SECRET).

Python programs pass the Python policy by reaching `os` through `operator.attrgetter`, a path the
policy does not close: they show that the sandbox, not the policy, contains such code.
"""

from __future__ import annotations

PY_GADGETS = """\
import operator
import typing

modules = operator.attrgetter("sys.modules")(typing)
os = modules["os"]
builtins_module = modules["builtins"]
real_import = operator.attrgetter("__import__")(builtins_module)
real_open = operator.attrgetter("open")(builtins_module)
"""

JAVA_HEAD = "import java.io.*;\nimport java.net.*;\nimport java.nio.file.*;\nimport java.util.*;\n\npublic class Main {\n"
CPP_HEAD = (
    "#include <cerrno>\n#include <csignal>\n#include <cstdio>\n#include <cstdlib>\n#include <cstring>\n"
    "#include <thread>\n#include <vector>\n#include <arpa/inet.h>\n#include <netinet/in.h>\n"
    "#include <sys/socket.h>\n#include <unistd.h>\n"
)


def java(body: str) -> str:
    return JAVA_HEAD + body + "}\n"


WRITE_PATHS = ["/tmp/prepai-pwned-MARK", "/work/prepai-pwned-MARK", "/task/pwned", "/usr/lib/pwned", "/pwned"]
SECRET_PATHS = ["SECRET_FILE", "/work/main/pyproject.toml", "/root/.bashrc", "/proc/1/environ"]


PROGRAMS: dict[str, dict[str, str]] = {
    "infinite_loop": {
        "python": "while True:\n    pass\n",
        "javascript": "while (true) {}\n",
        "java": java("  public static void main(String[] a) { long x = 0; while (true) { x++; } }\n"),
        "cpp": CPP_HEAD + "int main() { volatile long x = 0; for (;;) x++; }\n",
    },
    "sleep_forever": {
        "python": PY_GADGETS + 'real_import("time").sleep(100000)\n',
        "javascript": "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n",
        "java": java(
            "  public static void main(String[] a) throws Exception { Thread.sleep(100000000L); }\n"
        ),
        "cpp": CPP_HEAD + "int main() { sleep(100000); }\n",
    },
    "memory_bomb": {
        "python": "blocks = []\nwhile True:\n    blocks.append(bytearray(10 ** 7))\n",
        "javascript": "const blocks = [];\nwhile (true) blocks.push(new Float64Array(1 << 25).fill(1.5));\n",
        "java": java(
            "  public static void main(String[] a) {\n"
            "    List<long[]> blocks = new ArrayList<>();\n"
            "    while (true) blocks.add(new long[1 << 20]);\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD
        + "int main() { std::vector<std::vector<char>> v; for (;;) v.emplace_back(1 << 24, 1); }\n",
    },
    "fork_bomb": {
        "python": PY_GADGETS
        + "while True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        "javascript": (
            "const { spawn } = require('child_process');\n"
            "for (;;) {\n"
            "  try { spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']).on('error', () => {}); }\n"
            "  catch (e) {}\n"
            "}\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            '    String java = System.getProperty("java.home") + "/bin/java";\n'
            "    while (true) {\n"
            '      try { new ProcessBuilder(java, "-cp", "/app", "Main").start(); } catch (Exception e) { }\n'
            "    }\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD + "int main() { for (;;) fork(); }\n",
    },
    "thread_bomb": {
        "python": PY_GADGETS
        + 'threading = real_import("threading")\ntime = real_import("time")\n'
        + "while True:\n    threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()\n",
        "javascript": (
            "const fs = require('fs');\n"
            "const { Worker } = require('worker_threads');\n"
            "fs.writeFileSync('/tmp/w.js', 'setInterval(() => {}, 1000);');\n"
            "for (;;) new Worker('/tmp/w.js').on('error', () => {});\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            "    while (true) {\n"
            "      new Thread(() -> { try { Thread.sleep(1000000); } catch (Exception e) { } }).start();\n"
            "    }\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD + "int main() { for (;;) std::thread([] { sleep(100000); }).detach(); }\n",
    },
    "output_flood": {
        "python": "while True:\n    print('x' * 1000)\n",
        "javascript": "for (;;) process.stdout.write('x'.repeat(10000));\n",
        "java": java(
            '  public static void main(String[] a) { while (true) System.out.print("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"); }\n'
        ),
        "cpp": CPP_HEAD + 'int main() { for (;;) fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", stdout); }\n',
    },
    "deep_recursion": {
        "python": "def dive(n):\n    return dive(n + 1) + 1\n\nprint(dive(0))\n",
        "javascript": "function dive(n) { return dive(n + 1) + 1; }\nconsole.log(dive(0));\n",
        "java": java(
            "  static int dive(int n) { return dive(n + 1) + 1; }\n"
            "  public static void main(String[] a) { System.out.println(dive(0)); }\n"
        ),
        "cpp": CPP_HEAD
        + "int dive(int n) { volatile char pad[4096]; pad[0] = (char)n; return dive(n + 1) + pad[0]; }\n"
        + 'int main() { printf("%d\\n", dive(0)); }\n',
    },
    "write_host_files": {
        "python": PY_GADGETS
        + f"for path in {WRITE_PATHS!r}:\n"
        + "    try:\n"
        + "        with real_open(path, 'w') as handle:\n"
        + "            handle.write('pwned')\n"
        + "        print('wrote', path)\n"
        + "    except OSError as error:\n"
        + "        print('denied', path, error.strerror)\n"
        + "raise SystemExit(3)\n",
        "javascript": (
            "const fs = require('fs');\n"
            f"for (const path of {WRITE_PATHS!r}) {{\n"
            "  try { fs.writeFileSync(path, 'pwned'); console.log('wrote', path); }\n"
            "  catch (e) { console.log('denied', path, e.code); }\n"
            "}\n"
            "process.exit(3);\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            f"    String[] paths = {{{', '.join(f'{chr(34)}{p}{chr(34)}' for p in WRITE_PATHS)}}};\n"
            "    for (String path : paths) {\n"
            '      try (FileWriter w = new FileWriter(path)) { w.write("pwned"); System.out.println("wrote " + path); }\n'
            '      catch (IOException e) { System.out.println("denied " + path + " " + e.getMessage()); }\n'
            "    }\n"
            "    System.exit(3);\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD
        + "int main() {\n"
        + f"  const char* paths[] = {{{', '.join(f'{chr(34)}{p}{chr(34)}' for p in WRITE_PATHS)}}};\n"
        + "  for (const char* path : paths) {\n"
        + '    FILE* f = fopen(path, "w");\n'
        + '    if (f) { fputs("pwned", f); fclose(f); printf("wrote %s\\n", path); }\n'
        + '    else printf("denied %s %s\\n", path, strerror(errno));\n'
        + "  }\n"
        + "  return 3;\n"
        + "}\n",
    },
    "connect_to_broker": {
        "python": PY_GADGETS
        + 'socket = real_import("socket")\n'
        + "for port in (4222, PORT):\n"
        + "    try:\n"
        + "        socket.create_connection(('127.0.0.1', port), timeout=2)\n"
        + "        print('connected', port)\n"
        + "    except OSError as error:\n"
        + "        print('refused', port, error)\n"
        + "raise SystemExit(3)\n",
        "javascript": (
            "const net = require('net');\n"
            "let pending = 2;\n"
            "for (const port of [4222, PORT]) {\n"
            "  const socket = net.connect(port, '127.0.0.1');\n"
            "  socket.on('connect', () => { console.log('connected', port); socket.destroy(); if (--pending === 0) process.exit(3); });\n"
            "  socket.on('error', (e) => { console.log('refused', port, e.code); if (--pending === 0) process.exit(3); });\n"
            "}\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            "    for (int port : new int[] {4222, PORT}) {\n"
            '      try (Socket s = new Socket()) { s.connect(new InetSocketAddress("127.0.0.1", port), 2000); System.out.println("connected " + port); }\n'
            '      catch (IOException e) { System.out.println("refused " + port + " " + e.getMessage()); }\n'
            "    }\n"
            "    System.exit(3);\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD
        + "int main() {\n"
        + "  for (int port : {4222, PORT}) {\n"
        + "    int fd = socket(AF_INET, SOCK_STREAM, 0);\n"
        + "    sockaddr_in addr{}; addr.sin_family = AF_INET; addr.sin_port = htons(port);\n"
        + '    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);\n'
        + '    if (fd >= 0 && connect(fd, (sockaddr*)&addr, sizeof addr) == 0) printf("connected %d\\n", port);\n'
        + '    else printf("refused %d %s\\n", port, strerror(errno));\n'
        + "  }\n"
        + "  return 3;\n"
        + "}\n",
    },
    "read_secrets": {
        "python": PY_GADGETS
        + "print('env', os.environ.get('PREPAI_RUNNER_TEST_SECRET'), sorted(os.environ))\n"
        + f"for path in {SECRET_PATHS!r}:\n"
        + "    try:\n"
        + "        with real_open(path, 'rb') as handle:\n"
        + "            print('read', path, handle.read()[:4000])\n"
        + "    except OSError as error:\n"
        + "        print('denied', path, error.strerror)\n"
        + "print('root', os.listdir('/'))\n"
        + "raise SystemExit(3)\n",
        "javascript": (
            "const fs = require('fs');\n"
            "console.log('env', process.env.PREPAI_RUNNER_TEST_SECRET, Object.keys(process.env));\n"
            f"for (const path of {SECRET_PATHS!r}) {{\n"
            "  try { console.log('read', path, fs.readFileSync(path, 'latin1').slice(0, 4000)); }\n"
            "  catch (e) { console.log('denied', path, e.code); }\n"
            "}\n"
            "console.log('root', fs.readdirSync('/'));\n"
            "process.exit(3);\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            '    System.out.println("env " + System.getenv("PREPAI_RUNNER_TEST_SECRET") + " " + System.getenv().keySet());\n'
            f"    String[] paths = {{{', '.join(f'{chr(34)}{p}{chr(34)}' for p in SECRET_PATHS)}}};\n"
            "    for (String path : paths) {\n"
            '      try { System.out.println("read " + path + " " + new String(Files.readAllBytes(Paths.get(path)))); }\n'
            '      catch (Exception e) { System.out.println("denied " + path + " " + e); }\n'
            "    }\n"
            '    System.out.println("root " + Arrays.toString(new File("/").list()));\n'
            "    System.exit(3);\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD
        + "extern char** environ;\n"
        + "int main() {\n"
        + '  const char* secret = getenv("PREPAI_RUNNER_TEST_SECRET");\n'
        + '  printf("env %s\\n", secret ? secret : "(none)");\n'
        + '  for (char** e = environ; *e; e++) printf("var %s\\n", *e);\n'
        + f"  const char* paths[] = {{{', '.join(f'{chr(34)}{p}{chr(34)}' for p in SECRET_PATHS)}}};\n"
        + "  for (const char* path : paths) {\n"
        + '    FILE* f = fopen(path, "rb");\n'
        + '    if (!f) { printf("denied %s %s\\n", path, strerror(errno)); continue; }\n'
        + "    char buf[4001]; size_t n = fread(buf, 1, 4000, f); buf[n] = 0; fclose(f);\n"
        + "    for (size_t i = 0; i < n; i++) if (!buf[i]) buf[i] = ' ';\n"
        + '    printf("read %s %s\\n", path, buf);\n'
        + "  }\n"
        + "  return 3;\n"
        + "}\n",
    },
    "kill_the_parent": {
        "python": PY_GADGETS
        + "for target in (os.getppid(), -1, 1):\n"
        + "    try:\n"
        + "        os.kill(target, 9)\n"
        + "        print('signalled', target)\n"
        + "    except OSError as error:\n"
        + "        print('failed', target, error)\n"
        + "print('still alive')\n"
        + "raise SystemExit(3)\n",
        "javascript": (
            "for (const target of [process.ppid, -1, 1]) {\n"
            "  try { process.kill(target, 'SIGKILL'); console.log('signalled', target); }\n"
            "  catch (e) { console.log('failed', target, e.code); }\n"
            "}\n"
            "console.log('still alive');\n"
            "process.exit(3);\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            '    ProcessHandle.current().parent().ifPresent(p -> System.out.println("parent killed: " + p.destroyForcibly()));\n'
            "    long self = ProcessHandle.current().pid();\n"
            "    ProcessHandle.allProcesses().filter(p -> p.pid() != self)\n"
            '        .forEach(p -> System.out.println("killed " + p.pid() + ": " + p.destroyForcibly()));\n'
            '    System.out.println("still alive");\n'
            "    System.exit(3);\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD
        + "int main() {\n"
        + "  for (int target : {(int)getppid(), -1, 1}) {\n"
        + '    int rc = kill(target, SIGKILL); printf("kill %d -> %d %s\\n", target, rc, rc ? strerror(errno) : "");\n'
        + "  }\n"
        + '  puts("still alive");\n'
        + "  return 3;\n"
        + "}\n",
    },
    "shell_out": {
        "python": PY_GADGETS
        + "status = os.system('ls /work; cat /etc/passwd')\nprint('status', status)\nraise SystemExit(3)\n",
        "javascript": (
            "try { console.log(require('child_process').execSync('ls /work; cat /etc/passwd').toString()); }\n"
            "catch (e) { console.log('failed', e.message); }\n"
            "process.exit(3);\n"
        ),
        "java": java(
            "  public static void main(String[] a) {\n"
            '    try { Process p = Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", "ls /work"}); System.out.println("status " + p.waitFor()); }\n'
            '    catch (Exception e) { System.out.println("failed " + e.getMessage()); }\n'
            "    System.exit(3);\n"
            "  }\n"
        ),
        "cpp": CPP_HEAD
        + 'int main() { int status = system("ls /work; cat /etc/passwd"); printf("status %d\\n", status); return 3; }\n',
    },
}
