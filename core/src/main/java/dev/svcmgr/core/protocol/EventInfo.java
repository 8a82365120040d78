package dev.svcmgr.core.protocol;

import java.util.Map;

/**
 * One state change, as {@code events --json} prints it: {@code {"seq","time","unit","active","sub","result"}}.
 *
 * @param seq    consecutive sequence number
 * @param time   ISO instant
 * @param result the result word, null when none
 */
public record EventInfo(long seq, String time, String unit, String active, String sub, String result) {
    public Map<String, Object> toJson() {
        Map<String, Object> m = Fields.object();
        m.put("seq", seq);
        m.put("time", time);
        m.put("unit", unit);
        m.put("active", active);
        m.put("sub", sub);
        m.put("result", result);
        return m;
    }

    public static EventInfo fromJson(Map<String, Object> m) { return read(new Fields(m)); }

    static EventInfo read(Fields f) {
        return new EventInfo(f.number("seq", 0), f.string("time"), f.string("unit"), f.string("active"), f.string("sub"),
                f.string("result"));
    }
}
