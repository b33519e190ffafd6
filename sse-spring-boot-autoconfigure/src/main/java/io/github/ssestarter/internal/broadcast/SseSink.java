package io.github.ssestarter.internal.broadcast;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where a subscriber's frames go: one client connection, as the web integration provides it.
 * Writes never block: a client that cannot take more now is reported busy, and the sink calls back
 * once it can. The broadcaster calls {@link #write} from one thread at a time per sink.
 */
public interface SseSink {

	/**
	 * Writes frames to the client and flushes them, if the client can take them now.
	 * @param frames complete frames, in order
	 * @return what happened; after {@link Result#BUSY} nothing was written and the
	 * {@link #onWritable writable callback} runs once the client can take more; after
	 * {@link Result#CLOSED} no further calls follow
	 */
	Result write(List<byte[]> frames);

	/**
	 * Sets what to run when the client can take more after a {@link Result#BUSY} write. The
	 * callback must not block; it may run on a container thread.
	 * @param callback the callback
	 */
	void onWritable(Runnable callback);

	/**
	 * Ends the connection because the client fell too far behind.
	 */
	void closeForOverflow();

	/**
	 * Ends the connection normally; a browser reconnects and resumes from its last event id.
	 */
	void close();

	/**
	 * Registers an action to run once when the connection ends, for whatever reason.
	 * @param action the action
	 */
	void onClose(Runnable action);

	/**
	 * The executor that runs this sink's writes; its tasks must not block.
	 * @return the executor
	 */
	Executor executor();

	/**
	 * The outcome of a {@link #write}.
	 */
	enum Result {

		/** The frames were handed to the connection. */
		WRITTEN,

		/** The client cannot take more now; nothing was written. */
		BUSY,

		/** The connection has ended. */
		CLOSED

	}

}
