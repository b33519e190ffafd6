package io.github.ssestarter.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * One selector thread serving a share of the connections: it opens queued connections at a limited
 * rate and while fewer than a limit are between connect and request sent, and reads every stream it
 * owns.
 *
 * <p>Other threads act on it and its connections only through {@link #call(Function)}.
 */
final class SelectorLoop implements Runnable {

	private static final int READ_BUFFER_SIZE = 64 * 1024;

	private final Selector selector;

	private final int maxHandshakes;

	private final double connectsPerNano;

	private final double maxConnectBudget;

	private double connectBudget;

	private long budgetUpdatedNanos = System.nanoTime();

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final ArrayDeque<SseConnection> waiting = new ArrayDeque<>();

	private final List<SseConnection> connections = new ArrayList<>();

	private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_SIZE);

	private final Thread thread;

	private int handshakes;

	private volatile boolean running = true;

	SelectorLoop(String name, int maxHandshakes, double connectsPerSecond) {
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open a selector", ex);
		}
		this.maxHandshakes = maxHandshakes;
		this.connectsPerNano = connectsPerSecond / 1e9;
		this.maxConnectBudget = Math.max(1, connectsPerSecond / 20);
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Runs a function on the loop thread.
	 * @return the function's result, once it has run
	 */
	<T> CompletableFuture<T> call(Function<SelectorLoop, T> function) {
		CompletableFuture<T> result = new CompletableFuture<>();
		this.tasks.add(() -> {
			try {
				result.complete(function.apply(this));
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		});
		this.selector.wakeup();
		return result;
	}

	/**
	 * The connections this loop owns. Loop thread only.
	 */
	List<SseConnection> connections() {
		return this.connections;
	}

	/**
	 * Queues connections to be opened (or reopened) as handshake slots free up. Loop thread only.
	 */
	void enqueue(SseConnection connection) {
		if (connection.markQueued()) {
			this.waiting.add(connection);
		}
	}

	/**
	 * Adopts a new connection and queues it. Loop thread only.
	 */
	void adopt(SseConnection connection) {
		this.connections.add(connection);
		enqueue(connection);
	}

	/**
	 * Aborts every connection and forgets them all, queued ones included. Loop thread only.
	 * @return how many connections there were
	 */
	int abortAll() {
		return closeAll(true);
	}

	/**
	 * Closes every connection, with a reset or normally (FIN), and forgets them. Loop thread only.
	 * @return how many connections there were
	 */
	int closeAll(boolean reset) {
		int count = this.connections.size();
		this.connections.forEach(reset ? SseConnection::abort : SseConnection::closeNormally);
		this.connections.clear();
		this.waiting.clear();
		return count;
	}

	/**
	 * Frees a handshake slot: the connection has sent its request, or failed. Loop thread only.
	 */
	void handshakeEnded() {
		this.handshakes--;
	}

	void shutdown() {
		this.running = false;
		this.selector.wakeup();
		try {
			this.thread.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				this.selector.select(this.waiting.isEmpty() ? 100 : 2);
				handleSelected();
				runTasks();
				openWaiting();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Selector failed", ex);
		}
		finally {
			this.connections.forEach(SseConnection::abort);
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// shutting down anyway
			}
		}
	}

	private void handleSelected() {
		Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
		while (keys.hasNext()) {
			SelectionKey key = keys.next();
			keys.remove();
			SseConnection connection = (SseConnection) key.attachment();
			if (!key.isValid()) {
				continue;
			}
			int ready = key.readyOps();
			if ((ready & SelectionKey.OP_CONNECT) != 0) {
				connection.onConnectable();
			}
			else if ((ready & SelectionKey.OP_WRITE) != 0) {
				connection.onWritable();
			}
			else if ((ready & SelectionKey.OP_READ) != 0) {
				connection.onReadable(this.readBuffer);
			}
		}
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

	private void openWaiting() {
		long now = System.nanoTime();
		this.connectBudget = Math.min(this.maxConnectBudget,
				this.connectBudget + (now - this.budgetUpdatedNanos) * this.connectsPerNano);
		this.budgetUpdatedNanos = now;
		while (this.handshakes < this.maxHandshakes && this.connectBudget >= 1 && !this.waiting.isEmpty()) {
			this.connectBudget--;
			this.handshakes++;
			this.waiting.poll().connect(this.selector);
		}
	}

}
