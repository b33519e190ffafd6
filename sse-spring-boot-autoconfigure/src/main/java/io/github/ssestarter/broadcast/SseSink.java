package io.github.ssestarter.broadcast;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where a subscriber's frames go: one client connection, as the web integration provides it.
 * The broadcaster calls {@link #send} from one thread at a time per sink.
 */
public interface SseSink {

	/**
	 * Writes frames to the client and flushes them once, blocking while the client is slow.
	 * @param frames complete frames, in order
	 * @return {@code false} if the connection has ended, in which case no further calls follow
	 */
	boolean send(List<byte[]> frames);

	/**
	 * Ends the connection because the client fell too far behind.
	 */
	void closeForOverflow();

	/**
	 * Ends the connection normally, as when the application ends it; the client may reconnect
	 * and resume with its last event id.
	 */
	void close();

	/**
	 * Registers an action to run once when the connection ends, for whatever reason.
	 * @param action the action
	 */
	void onClose(Runnable action);

	/**
	 * The executor that runs this sink's writes, which may block.
	 * @return the executor
	 */
	Executor executor();

}
