package io.github.ssestarter.benchmarks.load;

/**
 * Takes a stream of bytes piece by piece; each stage of response decoding is one.
 */
interface ByteSink {

	/**
	 * Takes the next bytes of the stream. The array is reused by the caller after this returns.
	 * @param bytes the buffer
	 * @param offset where the bytes start
	 * @param length how many bytes there are
	 */
	void accept(byte[] bytes, int offset, int length);

}
