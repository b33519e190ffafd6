package io.github.ssestarter.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages on the announcement channel: every entry of a script call in one message, or, from an
 * instance of an earlier version, one entry alone.
 */
class AnnouncementTests {

	@Test
	void readsEveryAnnouncementOfAMessageInOrder() {
		String first = announcement(7, "1-0", "0-0", "sse:topic:a", "d", "one");
		String second = announcement(8, "1-1", "1-0", "sse:topic:a", "d", "two");
		List<Announcement> announcements = Announcement
			.parseAll(bytes("*" + part(first) + part(second)));

		assertThat(announcements).extracting(Announcement::count).containsExactly(7L, 8L);
		assertThat(announcements).extracting(Announcement::id).containsExactly("1-0", "1-1");
		assertThat(announcements).extracting(Announcement::previous).containsExactly("0-0", "1-0");
		assertThat(announcements).extracting(Announcement::key).containsOnly("sse:topic:a");
		assertThat(text(announcements.get(1).fields().values().iterator().next())).isEqualTo("two");
	}

	@Test
	void readsAMessageOfOneAnnouncementWithoutTheMarker() {
		List<Announcement> announcements = Announcement
			.parseAll(bytes(announcement(3, "5-0", "4-0", "sse:topic:b", "d", "alone")));

		assertThat(announcements).singleElement().satisfies((announcement) -> {
			assertThat(announcement.count()).isEqualTo(3);
			assertThat(announcement.key()).isEqualTo("sse:topic:b");
		});
	}

	@Test
	void refusesAMessageThatIsNotAnnouncements() {
		String valid = announcement(7, "1-0", "0-0", "sse:topic:a", "d", "one");

		assertThat(Announcement.parseAll(bytes("hello"))).isNull();
		assertThat(Announcement.parseAll(bytes(""))).isNull();
		assertThat(Announcement.parseAll(bytes("*"))).isNull();
		assertThat(Announcement.parseAll(bytes("*" + part(valid) + "99:cut short"))).isNull();
		assertThat(Announcement.parseAll(bytes("*" + part(valid) + part("x:not a count")))).isNull();
	}

	private static String announcement(long count, String id, String previous, String key, String... fields) {
		StringBuilder announcement = new StringBuilder();
		announcement.append(part(Long.toString(count))).append(part(id)).append(part(previous)).append(part(key));
		for (String field : fields) {
			announcement.append(part(field));
		}
		return announcement.toString();
	}

	private static String part(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length + ":" + text;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
