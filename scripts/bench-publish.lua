-- wrk script: POST /v1/events with a small payload. Usage:
--   KEY=sbk_… wrk -t2 -c32 -d10s -s scripts/bench-publish.lua http://127.0.0.1:8080/v1/events
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer " .. os.getenv("KEY")
wrk.body = '{"event_type":"order.created","payload":{"order_id":"ord_1","total":149.5}}'
