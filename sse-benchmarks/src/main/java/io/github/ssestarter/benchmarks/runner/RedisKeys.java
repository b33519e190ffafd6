package io.github.ssestarter.benchmarks.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The few Redis commands the runner needs itself, over a plain socket in RESP: the length of a
 * run's stream, and deleting it afterwards so that runs do not pile up streams in the local Redis.
 * Loopback only.
 */
final class RedisKeys {

	private static final int TIMEOUT_MILLIS = 5000;

	private RedisKeys() {
	}

	/**
	 * The Redis key of a topic of the starter's Redis backplane.
	 */
	static String topicKey(String topic) {
		return "sse:topic:" + topic;
	}

	/**
	 * {@code XLEN key}.
	 * @return the number of entries, or {@code -1} when Redis cannot be reached
	 */
	static long streamLength(String key) {
		return integerReply("XLEN", key);
	}

	/**
	 * {@code DEL key}.
	 * @return the number of keys deleted, or {@code -1} when Redis cannot be reached
	 */
	static long delete(String key) {
		return integerReply("DEL", key);
	}

	/**
	 * Whether Redis answers {@code PING}.
	 */
	static boolean isUp() {
		try {
			return command("PING").startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The process id of the local {@code redis-server}, to read its CPU time, if there is exactly one.
	 * @return the pid, or {@code -1}
	 */
	static long serverPid() {
		// By /proc/<pid>/comm: the redis-server executable may be a link to another binary.
		List<ProcessHandle> found = ProcessHandle.allProcesses().filter((process) -> "redis-server".equals(comm(process.pid()))).toList();
		return (found.size() == 1) ? found.get(0).pid() : -1;
	}

	private static String comm(long pid) {
		try {
			return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "comm")).trim();
		}
		catch (IOException | RuntimeException ex) {
			return "";
		}
	}

	private static long integerReply(String... args) {
		try {
			String reply = command(args);
			return reply.startsWith(":") ? Long.parseLong(reply.substring(1).trim()) : -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	private static String command(String... args) throws IOException {
		InetAddress host = InetAddress.getByName(Servers.REDIS_HOST);
		if (!host.isLoopbackAddress()) {
			throw new IOException("Only a loopback Redis is used: " + host);
		}
		StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, Servers.REDIS_PORT), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			int b;
			while ((b = in.read()) >= 0 && b != '\n') {
				line.append((char) b);
			}
			return line.toString();
		}
	}

}
