package io.github.ssestarter.benchmarks.runner;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server under test running in its own JVM. Closing it stops the JVM, forcibly if it does not
 * stop within a few seconds.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final ServerSpec spec;

	private final Process process;

	private final InetSocketAddress address;

	private final Path log;

	private final ControlClient control;

	ServerProcess(ServerSpec spec, Process process, InetSocketAddress address, Path log) {
		this.spec = spec;
		this.process = process;
		this.address = address;
		this.log = log;
		this.control = new ControlClient(address.getAddress().getHostAddress(), address.getPort());
	}

	ServerSpec spec() {
		return this.spec;
	}

	long pid() {
		return this.process.pid();
	}

	InetSocketAddress address() {
		return this.address;
	}

	ControlClient control() {
		return this.control;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Waits until the server answers its statistics endpoint.
	 * @throws IllegalStateException when it exits or does not answer in time
	 */
	void awaitReady(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.control.isUp()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"Server " + this.spec.name() + " exited with " + this.process.exitValue() + "; see " + this.log);
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Server " + this.spec.name() + " not up after " + timeout + "; see " + this.log);
			}
			Thread.sleep(100);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
