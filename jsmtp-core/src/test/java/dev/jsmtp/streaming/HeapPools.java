package dev.jsmtp.streaming;

import java.lang.reflect.Method;
import java.util.List;

/**
 * The heap memory pools' peak usage, from the memory MXBeans. Reached by reflection because the test sources
 * compile inside the {@code dev.jsmtp} module, which does not read {@code java.management}; the forked client
 * runs on the class path, where every platform module is readable.
 */
final class HeapPools {

    private HeapPools() {
    }

    static void resetPeaks() throws ReflectiveOperationException {
        for (Object pool : pools()) {
            method(pool, "resetPeakUsage").invoke(pool);
        }
    }

    /** The sum over heap pools of the most memory each held at once since the last reset. */
    static long peakUsed() throws ReflectiveOperationException {
        long peak = 0;
        for (Object pool : pools()) {
            if (((Enum<?>) method(pool, "getType").invoke(pool)).name().equals("HEAP")) {
                Object usage = method(pool, "getPeakUsage").invoke(pool);
                peak += (Long) method(usage, "getUsed").invoke(usage);
            }
        }
        return peak;
    }

    private static List<?> pools() throws ReflectiveOperationException {
        Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
        return (List<?>) factory.getMethod("getMemoryPoolMXBeans").invoke(null);
    }

    private static Method method(Object target, String name) throws ReflectiveOperationException {
        // The public interface's method, not the platform implementation class's (which is not exported).
        for (Class<?> i : target.getClass().getInterfaces()) {
            try {
                return i.getMethod(name);
            } catch (NoSuchMethodException ignored) {
                // Try the next interface.
            }
        }
        return Class.forName("java.lang.management." + (name.equals("getUsed") ? "MemoryUsage"
                : "MemoryPoolMXBean")).getMethod(name);
    }
}
