package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.ssestarter.SseBackplaneException;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.script.RedisScript;

import static io.github.ssestarter.internal.redis.RedisCommands.bytes;

/**
 * Appends sent to Redis together, as one call of the append script. For each entry, in order, the
 * script chains the entry to the newest one of its stream ({@code prev}), adds it, trims the stream
 * to about the most entries asked and counts it; then it trims each stream by age where asked,
 * renews the expiries, and announces every entry added in one message (see {@link Announcement}).
 * An entry Redis refuses (its key holds something other than a stream, say) fails alone; the others
 * are appended.
 */
final class AppendBatch {

	/** Most appends sent together: bounds how long one call keeps Redis busy. */
	static final int MAX_APPENDS = 128;

	/** Most bytes sent together, about; a larger append is sent alone. */
	static final int MAX_BYTES = 1024 * 1024;

	/**
	 * KEYS: the announcement counter, then each entry's stream. ARGV: the channel, then each
	 * entry's arguments as {@link Append#arguments()} lays them out. Returns each entry's id, or
	 * {@code !} and why Redis refused it.
	 */
	static final RedisScript<?> SCRIPT = RedisScript.of("""
			local newest, ttls, byAge, results, announcements = {}, {}, {}, {}, {}
			local counterTtl = 1
			if redis.call('EXISTS', KEYS[1]) == 0 then
				local now = redis.call('TIME')
				redis.call('SET', KEYS[1], string.format('%d', tonumber(now[1]) * 1000000 + math.floor(tonumber(now[2]) / 1000) * 1000))
			end
			local a = 2
			for k = 2, #KEYS do
				local key = KEYS[k]
				local maxLength, ttl, trim, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3])
				local fields = {}
				for j = 1, n do fields[j] = ARGV[a + 3 + j] end
				a = a + 4 + n
				local prev = newest[key]
				if prev == nil then
					local last = redis.pcall('XREVRANGE', key, '+', '-', 'COUNT', 1)
					if last.err then prev = last else prev = (#last > 0) and last[1][1] or '0-0' end
				end
				local id = prev
				if not prev.err then
					id = redis.pcall('XADD', key, 'MAXLEN', '~', maxLength, '*', 'prev', prev, unpack(fields))
				end
				if type(id) == 'table' then
					results[#results + 1] = '!' .. tostring(id.err)
				else
					newest[key] = id
					ttls[key] = math.max(ttls[key] or 1, ttl)
					byAge[key] = byAge[key] or (trim == '1')
					counterTtl = math.max(counterTtl, ttl)
					local count = redis.call('INCR', KEYS[1])
					local parts = { string.format('%d', count), id, prev, key }
					for j = 1, n do parts[#parts + 1] = fields[j] end
					for j = 1, #parts do parts[j] = #parts[j] .. ':' .. parts[j] end
					local announcement = table.concat(parts)
					announcements[#announcements + 1] = #announcement .. ':' .. announcement
					results[#results + 1] = id
				end
			end
			for key, id in pairs(newest) do
				local oldest = tonumber(string.match(id, '^%d+')) - ttls[key]
				if byAge[key] and oldest > 0 then
					redis.call('XTRIM', key, 'MINID', '~', string.format('%d', oldest))
				end
				redis.call('PEXPIRE', key, ttls[key])
			end
			redis.call('PEXPIRE', KEYS[1], counterTtl)
			if #announcements > 0 then
				redis.call('PUBLISH', ARGV[1], '*' .. table.concat(announcements))
			end
			return results
			""");

	private final List<Append> appends;

	AppendBatch(List<Append> appends) {
		this.appends = appends;
	}

	List<Append> appends() {
		return this.appends;
	}

	/** The script's keys: the announcement counter, then each entry's stream. */
	byte[][] keys() {
		byte[][] keys = new byte[this.appends.size() + 1][];
		keys[0] = bytes(Announcement.COUNTER_KEY);
		for (int i = 0; i < this.appends.size(); i++) {
			keys[i + 1] = this.appends.get(i).key();
		}
		return keys;
	}

	/** The script's arguments: the channel, then each entry's. */
	byte[][] values() {
		int count = 1;
		for (Append append : this.appends) {
			count += append.arguments().length;
		}
		byte[][] values = new byte[count][];
		values[0] = bytes(Announcement.CHANNEL);
		int position = 1;
		for (Append append : this.appends) {
			System.arraycopy(append.arguments(), 0, values, position, append.arguments().length);
			position += append.arguments().length;
		}
		return values;
	}

	/**
	 * Completes each append with what the script answered for it.
	 * @param reply the script's answer, one element per append
	 */
	void complete(List<?> reply) {
		if (reply.size() != this.appends.size()) {
			fail("Redis answered " + reply.size() + " ids for " + this.appends.size() + " appends", null);
			return;
		}
		for (int i = 0; i < reply.size(); i++) {
			Append append = this.appends.get(i);
			Object element = reply.get(i);
			String answer = (element instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: String.valueOf(element);
			if (answer.startsWith("!")) {
				append.id().completeExceptionally(new SseBackplaneException(
						"Redis could not append to " + append.log() + ": " + answer.substring(1), null));
			}
			else {
				append.id().complete(answer);
			}
		}
	}

	/** Fails every append of the batch. */
	void fail(String why, @Nullable Throwable cause) {
		for (Append append : this.appends) {
			append.id().completeExceptionally(
					new SseBackplaneException("Redis could not append to " + append.log() + ": " + why, cause));
		}
	}

}
