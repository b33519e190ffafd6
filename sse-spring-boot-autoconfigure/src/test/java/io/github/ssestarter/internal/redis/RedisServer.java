package io.github.ssestarter.internal.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A throwaway {@code redis-server} on a port of its own, keeping nothing on disk, that a test can
 * stop and start again.
 */
final class RedisServer {

	private final Process process;

	private final int port;

	private RedisServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static RedisServer start(int port) throws IOException {
		Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		RedisServer server = new RedisServer(process, port);
		await().atMost(Duration.ofSeconds(10)).until(server::accepts);
		return server;
	}

	int port() {
		return this.port;
	}

	void stop() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			this.process.waitFor();
		}
	}

	/** Deletes every key. */
	void flushAll() throws IOException {
		command("FLUSHALL");
	}

	/** Stops the server at once, as a crash would: nothing is saved, clients are cut off. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	/** How many clients are subscribed to a channel. */
	int subscribers(String channel) throws IOException {
		// *2, $length, the channel, :count
		String count = command(4, "PUBSUB", "NUMSUB", channel);
		return Integer.parseInt(count.substring(1));
	}

	/**
	 * Sends a command and reads the first line of the reply.
	 * @throws IOException if the reply is an error
	 */
	String command(String... arguments) throws IOException {
		return command(1, arguments);
	}

	/** Sends a command and reads that many lines of the reply, returning the last. */
	private String command(int lines, String... arguments) throws IOException {
		StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
		for (String argument : arguments) {
			request.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
		}
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
			String line = "";
			for (int i = 0; i < lines; i++) {
				StringBuilder reply = new StringBuilder();
				for (int b = socket.getInputStream().read(); b >= 0 && b != '\n'; b = socket.getInputStream().read()) {
					reply.append((char) b);
				}
				line = reply.toString().strip();
				if (line.startsWith("-")) {
					throw new IOException(String.join(" ", arguments) + " answered " + line);
				}
			}
			return line;
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
