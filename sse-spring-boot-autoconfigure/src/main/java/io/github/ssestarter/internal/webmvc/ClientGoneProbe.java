package io.github.ssestarter.internal.webmvc;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Asks one stream's request input, without blocking, whether its client has closed the connection:
 * once the body has been read to the end, anything more to read means the end of the connection, a
 * reset, or a pipelined request, and the client is not waiting on the stream any more.
 *
 * <p>The container recycles the input once the request completes, so it is asked only under a lock
 * that {@link #stop} takes too.
 */
final class ClientGoneProbe {

	private final ReentrantLock lock = new ReentrantLock();

	/** The input asked, or {@code null}; guarded by the lock. */
	private @Nullable ServletInputStream input;

	/** Whether it may no longer start; guarded by the lock. */
	private boolean stopped;

	/**
	 * Starts asking an input; called once its body has been read to the end.
	 * @return {@code false} if the probe was stopped already
	 */
	boolean start(ServletInputStream input) {
		this.lock.lock();
		try {
			if (this.stopped) {
				return false;
			}
			this.input = input;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether the client has gone, as far as the input shows now; once it has, the input is not
	 * asked again.
	 */
	boolean clientGone() {
		this.lock.lock();
		try {
			ServletInputStream input = this.input;
			if (input == null) {
				return false;
			}
			boolean gone;
			try {
				gone = input.available() > 0;
			}
			catch (IOException | RuntimeException ex) {
				gone = true;
			}
			if (gone) {
				this.input = null;
			}
			return gone;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether it is asking an input now. */
	boolean isProbing() {
		this.lock.lock();
		try {
			return this.input != null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Stops asking, for good: the input must not be touched once the request completes. */
	void stop() {
		this.lock.lock();
		try {
			this.stopped = true;
			this.input = null;
		}
		finally {
			this.lock.unlock();
		}
	}

}
