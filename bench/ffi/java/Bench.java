import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.libajwt.Ajwt;
import org.libajwt.Authenticator;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;
import org.libajwt.internal.AjwtNative;

/**
 * Per-verification cost through the Java binding (bindings/swig/java, SWIG JNI), in the format
 * and with the cases of c_verify.c (see bench/ffi/run.sh): "case ns_per_op" in CPU time, best of
 * 7 batches after untimed warm-up batches so the JIT has compiled the loop.
 *
 *   java -Dajwt.jni.dir=DIR -cp libajwt-0.1.0.jar:CLASSES Bench [SCALE]
 *
 * CPU time is that of every thread of the JVM (GC and JIT compiler threads included, as
 * c_verify.c and the Go benchmark count theirs): the benchmark thread's own from ThreadMXBean
 * (exact), plus the other threads' from /proc/self/task/N/schedstat. Those are exact for a
 * thread that is not running at the moment of reading (a running thread's lags by up to a
 * scheduler tick), which after warm-up is nearly always the case. The JDK's process figure
 * (OperatingSystemMXBean.getProcessCpuTime) has clock-tick (10 ms) resolution on Linux, too
 * coarse for short batches. Without /proc only the benchmark thread is counted (note on stderr).
 */
public final class Bench {
    private static final long NOW = 1_700_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Open schedstat files of the other threads by thread id: reopening costs ~1 ms a reading. */
    private static final Map<String, FileChannel> STATS = new HashMap<>();
    private static final ByteBuffer BUF = ByteBuffer.allocate(256);
    /** The benchmark (main) thread's id, whose time ThreadMXBean gives; null without /proc. */
    private static String selfTid;
    private static volatile long sink;

    private Bench() {}

    /** "PID/task/TID" -> TID; null when /proc/thread-self is not there. */
    private static String ownThreadId() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Sum of sum_exec_runtime (ns, schedstat's first field) over the other live threads. Time of
     * a thread that exits within a batch is lost; the JVM's threads are long-lived once warm.
     */
    private static long otherThreadsCpuNanos() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String tid = task.getFileName().toString();
                if (tid.equals(selfTid)) continue;
                FileChannel stat = STATS.get(tid);
                try {
                    if (stat == null) {
                        stat = FileChannel.open(task.resolve("schedstat"));
                        STATS.put(tid, stat);
                    }
                    BUF.clear();
                    stat.read(BUF, 0); // proc files regenerate their text on a read from offset 0
                    long ns = 0;
                    for (int i = 0; i < BUF.position() && BUF.get(i) != ' '; i++) ns = ns * 10 + (BUF.get(i) - '0');
                    total += ns;
                } catch (IOException gone) {
                    STATS.remove(tid); // the thread exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + TASKS, e);
        }
        return total;
    }

    private static long cpuNanos() {
        long others = selfTid == null ? 0 : otherThreadsCpuNanos();
        return THREADS.getCurrentThreadCpuTime() + others;
    }

    private static double best(long n, int batches, Runnable op) {
        // Warm-up: the 7 batches are best-of, so this only needs the loop past C1 and most of C2.
        for (long i = 0, warm = Math.max(n, 3_000); i < warm; i++) op.run();
        double min = Double.POSITIVE_INFINITY;
        for (int b = 0; b < batches; b++) {
            long start = cpuNanos();
            for (long i = 0; i < n; i++) op.run();
            min = Math.min(min, (double) (cpuNanos() - start) / n);
        }
        return min;
    }

    /** The bare call in a loop of its own, as c_verify.c does (no Runnable per operation). */
    private static double bestCall(long n, int batches) {
        long sum = 0;
        for (long i = 0; i < Math.max(n, 200_000); i++) sum += AjwtNative.ajwt_version_number();
        double min = Double.POSITIVE_INFINITY;
        for (int b = 0; b < batches; b++) {
            long start = cpuNanos();
            for (long i = 0; i < n; i++) sum += AjwtNative.ajwt_version_number();
            min = Math.min(min, (double) (cpuNanos() - start) / n);
        }
        sink = sum;
        return min;
    }

    public static void main(String[] args) {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        if (!(scale > 0)) throw new IllegalArgumentException("bad scale " + args[0]);
        selfTid = ownThreadId();
        if (selfTid == null) System.err.println("Bench: no /proc/thread-self; timing the benchmark thread only");
        try (Key ed = Key.generate(KeyType.ED25519);
             Key edPub = ed.publicKey();
             Key rsa = Key.generate(KeyType.RSA, 2048);
             Key rsaPub = rsa.publicKey();
             Verifier verifier = new Verifier()) {
            String edToken = ed.sign("alice", NOW, "bench-nonce");
            String rsaToken = rsa.sign("alice", NOW, "bench-nonce");
            String header = Ajwt.authHeader(edToken);
            // The user_keys callback in Java, as c_verify.c has one in C. The Java API hands
            // keys over as text; the library caches parsed public keys by their text.
            List<String> aliceKeys = List.of(edPub.toOpenSsh());
            UserRepository users = (username, kid) -> username.equals("alice") ? aliceKeys : List.of();
            try (Authenticator auth = new Authenticator(verifier, users)) {
                long n = (long) (2000 * scale) + 1;
                System.out.printf("call %.2f%n", bestCall((long) (2_000_000 * scale) + 1, 7));
                System.out.printf("verify_ed25519 %.1f%n",
                        best(n, 7, () -> sink += verifier.verifiedUsername(edToken, edPub, NOW).length()));
                System.out.printf("verify_rsa2048 %.1f%n",
                        best(n, 7, () -> sink += verifier.verifiedUsername(rsaToken, rsaPub, NOW).length()));
                System.out.printf("auth_ed25519 %.1f%n",
                        best(n, 7, () -> sink += auth.authenticate(header, NOW).length()));
            }
        }
    }
}
