package io.github.ssestarter.internal.webflux;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ssestarter.internal.broadcast.SseSink.Result;
import io.github.ssestarter.internal.web.Frames;
import io.github.ssestarter.internal.web.ResponseChannel;
import io.github.ssestarter.internal.web.SseConnection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * One stream's reactive response: the body is a {@link Flux} of frames that the server subscribes
 * to, and frames are handed to it only as far as the server has asked for them, so that a client
 * that stops reading holds no memory beyond the server's own small prefetch. A write without such
 * demand reports the client busy; the server's next request runs the writable callback.
 *
 * <p>The body starts with a first frame (the retry hint, or nothing), which makes the server send
 * the status and headers at once, before any event. A client that goes away cancels the body,
 * which ends the connection.
 */
final class ReactiveResponseChannel implements ResponseChannel {

	private final SseConnection connection;

	private final DataBufferFactory buffers;

	private final byte[] firstFrame;

	private final ReentrantLock lock = new ReentrantLock();

	/** What the server asked for and was not given yet. */
	private final AtomicLong demand = new AtomicLong();

	/** The body's sink, once the server subscribed to it; guarded by the lock. */
	private @Nullable FluxSink<DataBuffer> sink;

	/** Whether the response is complete; guarded by the lock. */
	private boolean completed;

	private volatile @Nullable Runnable writableCallback;

	private volatile long lastWriteNanos = System.nanoTime();

	/**
	 * @param connection ended when the client cancels the body
	 * @param buffers wraps frames for the server
	 * @param firstFrame written first, whatever the demand; may be empty
	 */
	ReactiveResponseChannel(SseConnection connection, DataBufferFactory buffers, byte[] firstFrame) {
		this.connection = connection;
		this.buffers = buffers;
		this.firstFrame = firstFrame;
	}

	/**
	 * The response body, each of whose elements is to be flushed on its own.
	 * @return the body, to be subscribed once
	 */
	Flux<DataBuffer> body() {
		Flux<DataBuffer> frames = Flux.create(this::attach, FluxSink.OverflowStrategy.ERROR);
		return Flux.concat(Flux.defer(() -> Flux.just(this.buffers.wrap(this.firstFrame))), frames);
	}

	private void attach(FluxSink<DataBuffer> sink) {
		this.lock.lock();
		try {
			this.sink = sink;
			if (this.completed) {
				sink.complete();
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		sink.onCancel(() -> this.connection
			.endElsewhere(() -> this.connection.clientGone(new IOException("Client closed the connection"))));
		// Last: the server's first request may come at once, and wakes a writer that found no sink.
		sink.onRequest(this::requested);
	}

	private void requested(long count) {
		this.demand.accumulateAndGet(count, (left, more) -> (left + more < 0) ? Long.MAX_VALUE : left + more);
		Runnable callback = this.writableCallback;
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public void onWritable(Runnable callback) {
		this.writableCallback = callback;
	}

	@Override
	public Result write(List<byte[]> frames) {
		this.lock.lock();
		try {
			if (this.completed || this.connection.isEnded()) {
				return Result.CLOSED;
			}
			FluxSink<DataBuffer> sink = this.sink;
			if (sink == null || this.demand.get() == 0) {
				return Result.BUSY;
			}
			emit(sink, Frames.join(frames));
			return Result.WRITTEN;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void writeIfIdle(byte[] frame) {
		if (!this.lock.tryLock()) {
			return;
		}
		try {
			FluxSink<DataBuffer> sink = this.sink;
			if (!this.completed && !this.connection.isEnded() && sink != null && this.demand.get() > 0) {
				emit(sink, frame);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void emit(FluxSink<DataBuffer> sink, byte[] bytes) {
		this.demand.decrementAndGet();
		sink.next(this.buffers.wrap(bytes));
		this.lastWriteNanos = System.nanoTime();
	}

	@Override
	public long lastWriteNanos() {
		return this.lastWriteNanos;
	}

	@Override
	public void complete() {
		this.lock.lock();
		try {
			this.completed = true;
			FluxSink<DataBuffer> sink = this.sink;
			if (sink != null) {
				sink.complete();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
