package org.libajwt;

import java.io.File;

/**
 * Loads the JNI library libajwt_jni (which links libajwt.so.0). With the system property
 * {@code ajwt.jni.dir} set, loads it from that directory; otherwise from java.library.path.
 */
public final class NativeLoader {
    private static boolean loaded;

    private NativeLoader() {}

    public static synchronized void load() {
        if (loaded) return;
        String dir = System.getProperty("ajwt.jni.dir", "");
        if (dir.isEmpty()) {
            System.loadLibrary("ajwt_jni");
        } else {
            System.load(new File(dir, System.mapLibraryName("ajwt_jni")).getAbsolutePath());
        }
        loaded = true;
    }
}
