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
		Files.createDirectories(this.logDir);
		InetAddress loopback = InetAddress.getLoopbackAddress();
		int port = freePort(loopback);
		Path log = this.logDir.resolve(spec.name() + "-" + label + ".log");
		Process process = new ProcessBuilder(command(spec, port)).redirectErrorStream(true)
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
		command.add("-XX:+UseG1GC");
		command.add("-XX:+ExitOnOutOfMemoryError");
		command.addAll(this.options.jvmArgs());
		command.add("-cp");
		command.add(ServerClasspath.forServer(spec));
		command.add(spec.mainClass());
		command.add("--server.port=" + port);
		command.add("--server.address=" + InetAddress.getLoopbackAddress().getHostAddress());
		return command;
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
