package io.github.ssestarter.benchmarks.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a Linux process's CPU time, memory and limits from {@code /proc}.
 */
final class ProcStats {

	private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();

	private ProcStats() {
	}

	/**
	 * User plus system CPU time.
	 */
	static long cpuNanos(long pid) {
		String stat = read(pid, "stat").get(0);
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
	}

	/**
	 * User plus system CPU time per group of threads: thread names with their trailing number
	 * removed ({@code http-nio-127.0.0.1-8080-exec-17} and {@code -exec-3} count together as
	 * {@code http-nio-127.0.0.1-8080-exec-}).
	 */
	static java.util.Map<String, Long> cpuNanosByThreadGroup(long pid) {
		java.util.Map<String, Long> groups = new java.util.TreeMap<>();
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
			for (Path task : (Iterable<Path>) threads::iterator) {
				try {
					String name = Files.readString(task.resolve("comm"), StandardCharsets.ISO_8859_1).trim();
					String stat = Files.readString(task.resolve("stat"), StandardCharsets.ISO_8859_1);
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
					groups.merge(name.replaceAll("[#]?\\d+$", ""), nanos, Long::sum);
				}
				catch (IOException ex) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + tasks, ex);
		}
		return groups;
	}

	/**
	 * Resident set size now.
	 */
	static long rssBytes(long pid) {
		return statusValue(pid, "VmRSS:") * 1024;
	}

	/**
	 * Peak resident set size.
	 */
	static long peakRssBytes(long pid) {
		return statusValue(pid, "VmHWM:") * 1024;
	}

	/**
	 * Number of threads.
	 */
	static long threads(long pid) {
		return statusValue(pid, "Threads:");
	}

	/**
	 * The soft limit on open files, or {@code -1} when unlimited or unknown.
	 */
	static long openFilesLimit(long pid) {
		for (String line : read(pid, "limits")) {
			if (line.startsWith("Max open files")) {
				String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
				return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
			}
		}
		return -1;
	}

	private static long statusValue(long pid, String key) {
		for (String line : read(pid, "status")) {
			if (line.startsWith(key)) {
				return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
			}
		}
		return -1;
	}

	private static List<String> read(long pid, String file) {
		try {
			return Files.readAllLines(Path.of("/proc", Long.toString(pid), file), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read /proc/" + pid + "/" + file, ex);
		}
	}

	private static long clockTicksPerSecond() {
		try {
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
			if (getconf.waitFor() == 0 && out.matches("\\d+")) {
				return Long.parseLong(out);
			}
		}
		catch (IOException ex) {
			// fall back to the usual value
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return 100;
	}

}
