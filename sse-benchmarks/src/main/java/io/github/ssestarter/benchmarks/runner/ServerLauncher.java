package io.github.ssestarter.benchmarks.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts servers under test, each in a JVM of its own with the same heap and flags, on a free
 * loopback port, and makes sure none outlives the runner.
 */
final class ServerLauncher {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	/** Names the benchmark topic of the starter's server ({@code bench} by default). */
	static final String TOPIC_ARGUMENT = "--bench.topic=";

	private final RunnerOptions options;

	private final Path logDir;

	private final Set<Process> running = ConcurrentHashMap.newKeySet();

	ServerLauncher(RunnerOptions options, Path logDir) {
		this.options = options;
		this.logDir = logDir;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> this.running.forEach(Process::destroyForcibly)));
	}

	/**
	 * Starts a server and waits until it answers.
	 * @param spec the server
	 * @param label names the log file, e.g. the scenario
	 * @return the running server
	 */
	ServerProcess start(ServerSpec spec, String label) throws IOException, InterruptedException {
		return start(spec, label, List.of());
	}

	/**
	 * Starts a server with more Spring Boot arguments and waits until it answers.
	 * @param spec the server
	 * @param label names the log file, e.g. the scenario
	 * @param arguments more arguments, e.g. {@code --bench.topic=...}
	 * @return the running server
	 */
	ServerProcess start(ServerSpec spec, String label, List<String> arguments)
			throws IOException, InterruptedException {
		Files.createDirectories(this.logDir);
		InetAddress loopback = InetAddress.getLoopbackAddress();
		int port = freePort(loopback);
		Path log = this.logDir.resolve(spec.name() + "-" + label + ".log");
		List<String> command = command(spec, port);
		command.addAll(arguments);
		if (spec.usesRedis() && arguments.stream().noneMatch((argument) -> argument.startsWith(TOPIC_ARGUMENT))) {
			command.add(TOPIC_ARGUMENT + freshTopic());
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		this.running.add(process);
		process.onExit().thenRun(() -> this.running.remove(process));
		ServerProcess server = new ServerProcess(spec, process, new InetSocketAddress(loopback, port), log);
		try {
			server.awaitReady(STARTUP_TIMEOUT);
		}
		catch (RuntimeException | InterruptedException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private List<String> command(ServerSpec spec, int port) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xms" + this.options.heap());
		command.add("-Xmx" + this.options.heap());
		if (this.options.jvmArgs().stream().noneMatch((arg) -> arg.matches("-XX:\\+Use\\w+GC"))) {
			// G1 unless --jvm-args chooses a collector: the JVM refuses two.
			command.add("-XX:+UseG1GC");
		}
		command.add("-XX:+ExitOnOutOfMemoryError");
		command.addAll(this.options.jvmArgs());
		command.add("-cp");
		command.add(ServerClasspath.forServer(spec));
		command.add(spec.mainClass());
		command.addAll(spec.arguments());
		command.add("--server.port=" + port);
		command.add("--server.address=" + InetAddress.getLoopbackAddress().getHostAddress());
		return command;
	}

	/**
	 * A topic name no earlier run used, {@code bench-<random>}: Redis streams outlive the servers.
	 */
	static String freshTopic() {
		return "bench-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1);
	}

	private static int freePort(InetAddress address) {
		try (ServerSocket socket = new ServerSocket(0, 1, address)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on " + address, ex);
		}
	}

}
