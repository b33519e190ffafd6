package io.github.ssestarter.sample;

import org.jspecify.annotations.Nullable;

/**
 * A notification, the data of each {@code notification} event.
 *
 * @param message what it says
 * @param to the one user it is for, or {@code null} when it is for every signed-in user
 */
public record Notification(String message, @Nullable String to) {

}
