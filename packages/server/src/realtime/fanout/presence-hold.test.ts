/**
 * Fanout's presence holds, with announcements handed to `receive` in the orders a network bus can
 * produce (the cluster tests make those orders happen for real, but not on demand).
 */
import { describe, expect, it } from "vitest";
import { LocalFanout } from "./local.ts";
import type { FanoutMessage, FanoutSubscriber } from "./message.ts";
import { memberAddedMessage, memberRemovedMessage } from "./presence-events.ts";

/** A fan-out whose bus is the test: `arrive` is a message coming off the bus. */
class ScriptedBus extends LocalFanout {
  arrive(message: FanoutMessage): void {
    this.receive(message);
  }
}

class Recorder implements FanoutSubscriber {
  readonly events: string[] = [];
  constructor(readonly socketId: string) {}
  write(frame: Buffer): boolean {
    const { event, data } = JSON.parse(frame.toString()) as { event: string; data: string };
    this.events.push(`${event.replace("pusher_internal:", "")} ${(JSON.parse(data) as { user_id: string }).user_id}`);
    return true;
  }
}

describe("presence holds", () => {
  it("writes a joining socket the changes after its join's version, those that came first included, and never those before it", () => {
    const bus = new ScriptedBus();
    const member = new Recorder("1.1");
    bus.join("presence-r", member);
    const hold = bus.holdPresenceAnnouncements("presence-r");
    // Came off the bus before the join's reply (version 7): bob's departure after the join.
    bus.arrive(memberRemovedMessage("presence-r", "bob", 8));
    // Its own arrival, which its member list already shows, and an older change.
    bus.arrive(memberAddedMessage("presence-r", { id: "jo" }, "1.9", 7));
    bus.arrive(memberAddedMessage("presence-r", { id: "cy" }, "1.8", 6));
    const joining = new Recorder("1.9");
    bus.join("presence-r", joining);
    hold.deliverTo(joining, 7);
    // Late arrivals on the bus: one made before the join (already in its list), one after.
    bus.arrive(memberRemovedMessage("presence-r", "dan", 5));
    bus.arrive(memberAddedMessage("presence-r", { id: "eve" }, "2.1", 9));

    expect(joining.events).toEqual(["member_removed bob", "member_added eve"]);
    // A socket in the channel before gets every change as it arrives.
    expect(member.events).toEqual(["member_removed bob", "member_added jo", "member_added cy", "member_removed dan", "member_added eve"]);
  });

  it("keeps nothing once released, and nothing for a socket that left before its hold was delivered", () => {
    const bus = new ScriptedBus();
    const released = bus.holdPresenceAnnouncements("presence-r");
    released.release();
    const left = new Recorder("1.2");
    const hold = bus.holdPresenceAnnouncements("presence-r");
    bus.arrive(memberAddedMessage("presence-r", { id: "bob" }, "1.1", 3));
    const undone = new Recorder("1.3");
    bus.join("presence-r", undone);
    released.deliverTo(undone, 1);
    expect(undone.events).toEqual([]);
    bus.join("presence-r", left);
    bus.leave("presence-r", left);
    hold.deliverTo(left, 1);
    expect(left.events).toEqual([]);

    // A later socket with that id joins without a recorded version: it gets every change.
    const later = new Recorder("1.2");
    bus.join("presence-r", later);
    bus.arrive(memberRemovedMessage("presence-r", "bob", 2));
    expect(later.events).toEqual(["member_removed bob"]);
  });
});
