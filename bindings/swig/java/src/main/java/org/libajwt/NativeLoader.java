package org.libajwt;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the JNI library libajwt_jni, in this order (the zstd-jni / sqlite-jdbc way):
 * <ol>
 *   <li>with the system property {@code ajwt.jni.dir} set, from that directory;</li>
 *   <li>from {@code java.library.path} (a system or hand-installed libajwt_jni, which links
 *       libajwt.so.0);</li>
 *   <li>else the copy the jar carries for this platform under
 *       {@code org/libajwt/native/<os>-<arch>/} (libajwt, libcrypto and libsodium linked in),
 *       extracted to a temporary file, which is deleted once loaded.</li>
 * </ol>
 */
public final class NativeLoader {
    private static boolean loaded;
    private static String source;

    private NativeLoader() {}

    public static synchronized void load() {
        if (loaded) return;
        String dir = System.getProperty("ajwt.jni.dir", "");
        if (!dir.isEmpty()) {
            File file = new File(dir, System.mapLibraryName("ajwt_jni"));
            System.load(file.getAbsolutePath());
            source = file.getAbsolutePath();
        } else {
            try {
                System.loadLibrary("ajwt_jni");
                source = "java.library.path";
            } catch (UnsatisfiedLinkError notOnLibraryPath) {
                source = loadBundled(notOnLibraryPath);
            }
        }
        loaded = true;
    }

    /** Where libajwt_jni came from: a file path, or "java.library.path"; null before {@link #load()}. */
    public static synchronized String source() {
        return source;
    }

    /** The resource folder for this JVM's platform, e.g. "linux-x86_64". */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) os = "linux";
        if (arch.equals("amd64") || arch.equals("x86_64")) arch = "x86_64";
        if (arch.equals("arm64")) arch = "aarch64";
        return os + "-" + arch;
    }

    private static String loadBundled(UnsatisfiedLinkError notOnLibraryPath) {
        String name = System.mapLibraryName("ajwt_jni");
        String resource = "/org/libajwt/native/" + platform() + "/" + name;
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                UnsatisfiedLinkError e = new UnsatisfiedLinkError("libajwt_jni is not on java.library.path and this jar has no "
                        + resource + " (it carries linux-x86_64 only)");
                e.addSuppressed(notOnLibraryPath);
                throw e;
            }
            Path file = Files.createTempFile("libajwt_jni-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                // Loaded (or failed): the mapping outlives the file on Linux, and nothing is left
                // behind in the temporary directory even if the JVM is killed.
                Files.deleteIfExists(file);
            }
            return file.toAbsolutePath().toString();
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot extract " + resource + ": " + e);
            error.addSuppressed(notOnLibraryPath);
            throw error;
        }
    }
}
