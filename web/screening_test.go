package web_test

func init() {
	want["GET /inspections/{id}/status"] = roles(404, 200, 403, 403, 403)
	want["POST /inspections/{id}/status"] = roles(404, 422, 403, 403, 403)
	want["GET /inspections/{id}/screening"] = roles(404, 200, 200, 403, 403)
	want["GET /inspections/{id}/selection"] = roles(404, 200, 200, 200, 403)
	want["POST /inspections/{id}/selection"] = roles(404, 422, 422, 403, 403)
	want["POST /inspections/{id}/selection/add"] = roles(404, 422, 422, 403, 403)
	want["POST /inspections/{id}/selection/remove"] = roles(404, 422, 422, 403, 403)
}
